package evalh.engine.model;

import java.util.List;

/** Which key each query of a packed, padded batch may attend to. */
final class AttentionMask {
  private AttentionMask() {}

  /**
   * Row-major [B, len, prefix + len]. Keys 0..prefix-1 are a shared prefix at positions
   * 0..prefix-1, visible to every real query. Row query i sees row key j iff j is not after i, j is
   * shared or in i's branch. With a sliding window w &gt; 0, a key is visible only if {@code pos[i]
   * - pos[j] < w}. A padding query sees only itself, so its softmax stays finite.
   */
  static boolean[] allowed(List<PackedRow> rows, int len, int window, int prefix) {
    int keys = prefix + len;
    boolean[] m = new boolean[rows.size() * len * keys];
    for (int r = 0; r < rows.size(); r++) {
      PackedRow row = rows.get(r);
      int n = row.length();
      int base = r * len * keys;
      for (int i = 0; i < len; i++) {
        int at = base + i * keys;
        if (i >= n) {
          m[at + prefix + i] = true;
          continue;
        }
        int pi = row.positions()[i];
        for (int j = 0; j < prefix; j++) {
          m[at + j] = window <= 0 || pi - j < window;
        }
        for (int j = 0; j <= i; j++) {
          boolean branchOk = row.branch()[j] == 0 || row.branch()[j] == row.branch()[i];
          boolean windowOk = window <= 0 || pi - row.positions()[j] < window;
          m[at + prefix + j] = branchOk && windowOk;
        }
      }
    }
    return m;
  }
}
