package evalh.decontam.analysis;

import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.TokenHashes;
import java.util.Arrays;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;

/**
 * The index terms of one document from its token hashes (the corpus reader's fast path), hashed by
 * {@link NgramHasher} and encoded by {@link NgramTerms}: the n-grams at positions {@code p % stride
 * == 0} (exactly the terms {@link NgramAnalyzer#forIndex} gives for the document's text), or with a
 * winnowing window the minimum of every window ({@link #winnow}). No offsets or positions (the
 * n-gram field is docs-only). Reused for the documents of one indexing thread: {@link #set} before
 * each document is added.
 */
public final class NgramHashStream extends TokenStream {
  private final BytesTermAttribute termAtt = addAttribute(BytesTermAttribute.class);
  private final byte[] bytes = new byte[8];
  private final org.apache.lucene.util.BytesRef ref = new org.apache.lucene.util.BytesRef(bytes);
  private final NgramScheme scheme;
  private long[] terms = new long[256];
  private int size;
  private int next;

  public NgramHashStream(NgramScheme scheme) {
    this.scheme = scheme;
  }

  /** The next document's tokens. */
  public NgramHashStream set(TokenHashes tokens) {
    int n = scheme.n();
    int count = Math.max(0, tokens.size() - n + 1);
    if (terms.length < count) {
      terms = new long[Math.max(count, terms.length * 2)];
    }
    long[] t = tokens.array();
    if (scheme.winnowed()) {
      for (int p = 0; p < count; p++) {
        terms[p] = NgramHasher.ngramHash(t, p, n);
      }
      size = winnow(terms, count, scheme.window());
    } else {
      int k = 0;
      for (int p = 0; p < count; p += scheme.stride()) {
        terms[k++] = NgramHasher.ngramHash(t, p, n);
      }
      size = k;
    }
    return this;
  }

  /**
   * Winnowing in place: keeps, in order, the hash of each position that is the minimum of some
   * window of {@code w} consecutive hashes (the rightmost minimum on ties); fewer than {@code w}
   * hashes keep their minimum. Returns how many were kept.
   */
  public static int winnow(long[] h, int count, int w) {
    if (count == 0) {
      return 0;
    }
    if (count <= w) {
      int sel = 0;
      for (int j = 1; j < count; j++) {
        if (h[j] <= h[sel]) {
          sel = j;
        }
      }
      h[0] = h[sel];
      return 1;
    }
    long[] kept = new long[Math.min(count, 2 * count / w + 2)];
    int k = 0;
    int sel = -1;
    for (int i = 0; i + w <= count; i++) {
      int end = i + w - 1;
      if (sel < i) {
        sel = i;
        for (int j = i + 1; j <= end; j++) {
          if (h[j] <= h[sel]) {
            sel = j;
          }
        }
      } else if (h[end] <= h[sel]) {
        sel = end;
      } else {
        continue;
      }
      if (k == kept.length) {
        kept = Arrays.copyOf(kept, k * 2);
      }
      kept[k++] = h[sel];
    }
    System.arraycopy(kept, 0, h, 0, k);
    return k;
  }

  @Override
  public void reset() {
    next = 0;
  }

  @Override
  public boolean incrementToken() {
    if (next >= size) {
      return false;
    }
    clearAttributes();
    NgramTerms.encode(terms[next++], bytes);
    termAtt.setBytesRef(ref);
    return true;
  }
}
