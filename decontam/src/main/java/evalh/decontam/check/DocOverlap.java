package evalh.decontam.check;

import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.TokenBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where an item's k-grams occur inside one document's text: the covered tokens, a snippet around
 * the longest covered stretch with highlight ranges, and whether the gold answer occurs outside the
 * covered text. Pure function of (text, tokens, hashes): no index access.
 */
public final class DocOverlap {
  static final int CONTEXT = 150;
  static final int MAX_SNIPPET = 900;

  private final String text;
  private final TokenBuffer tokens;
  private final boolean[] covered;

  /**
   * @param text the document text
   * @param tokens its normalised tokens (with offsets)
   * @param k gram length of {@code itemHashes}
   * @param itemHashes hashes of the item's k-grams
   */
  public DocOverlap(String text, TokenBuffer tokens, int k, Set<Long> itemHashes) {
    this.text = text;
    this.tokens = tokens;
    this.covered = new boolean[tokens.size()];
    long[] th = tokens.hashes();
    for (int q = 0; q + k <= tokens.size(); q++) {
      if (itemHashes.contains(NgramHasher.ngramHash(th, q, k))) {
        for (int j = q; j < q + k; j++) {
          covered[j] = true;
        }
      }
    }
  }

  public boolean any() {
    for (boolean c : covered) {
      if (c) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the token sequence {@code answer} (hashes) occurs in the document at a place not
   * entirely covered by the item's matched n-grams (an empty answer never leaks).
   */
  public boolean answerOutsideMatch(long[] answer) {
    int len = answer.length;
    if (len == 0) {
      return false;
    }
    long[] th = tokens.hashes();
    for (int i = 0; i + len <= tokens.size(); i++) {
      boolean eq = true;
      for (int j = 0; j < len && eq; j++) {
        eq = th[i + j] == answer[j];
      }
      if (eq) {
        for (int j = i; j < i + len; j++) {
          if (!covered[j]) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Snippet around the longest covered stretch with its highlights; null if nothing covered. */
  public DocHit hit(String file, long position, boolean parquet, String id, int matchedNgrams) {
    int bestA = -1;
    int bestLen = 0;
    for (int i = 0; i < covered.length; ) {
      if (!covered[i]) {
        i++;
        continue;
      }
      int j = i;
      while (j < covered.length && covered[j]) {
        j++;
      }
      if (j - i > bestLen) {
        bestLen = j - i;
        bestA = i;
      }
      i = j;
    }
    if (bestA < 0) {
      return new DocHit(file, position, parquet, id, matchedNgrams, null, List.of());
    }
    int sc = tokens.start(bestA);
    int ec = tokens.end(bestA + bestLen - 1);
    int ws = Math.max(0, sc - CONTEXT);
    int we = Math.min(text.length(), ec + CONTEXT);
    if (we - ws > MAX_SNIPPET) {
      we = ws + MAX_SNIPPET;
    }
    ws = safeBoundary(ws);
    we = safeBoundary(we);
    List<DocHit.Range> hl = new ArrayList<>();
    for (int i = 0; i < covered.length; ) {
      if (!covered[i]) {
        i++;
        continue;
      }
      int j = i;
      while (j < covered.length && covered[j]) {
        j++;
      }
      int s = Math.max(tokens.start(i), ws);
      int e = Math.min(tokens.end(j - 1), we);
      if (s < e) {
        hl.add(new DocHit.Range(s - ws, e - ws));
      }
      i = j;
    }
    return new DocHit(file, position, parquet, id, matchedNgrams, text.substring(ws, we), hl);
  }

  private int safeBoundary(int i) {
    if (i > 0 && i < text.length() && Character.isLowSurrogate(text.charAt(i))) {
      return i - 1;
    }
    return i;
  }
}
