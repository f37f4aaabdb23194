package evalh.harness.model;

import java.util.List;

/** Which key each query of a packed, padded batch may attend to. */
final class AttentionMask {
  private AttentionMask() {}

  /**
   * Row-major [B, len, len]: query i sees key j iff j is not after i, j is shared or in i's branch,
   * and (with a sliding window w &gt; 0) {@code pos[i] - pos[j] < w}. A padding query sees only
   * itself, so its softmax stays finite.
   */
  static boolean[] allowed(List<PackedRow> rows, int len, int window) {
    boolean[] m = new boolean[rows.size() * len * len];
    for (int r = 0; r < rows.size(); r++) {
      PackedRow row = rows.get(r);
      int n = row.length();
      int base = r * len * len;
      for (int i = 0; i < len; i++) {
        if (i >= n) {
          m[base + i * len + i] = true;
          continue;
        }
        for (int j = 0; j <= i; j++) {
          boolean branchOk = row.branch()[j] == 0 || row.branch()[j] == row.branch()[i];
          boolean windowOk = window <= 0 || row.positions()[i] - row.positions()[j] < window;
          m[base + i * len + j] = branchOk && windowOk;
        }
      }
    }
    return m;
  }
}
