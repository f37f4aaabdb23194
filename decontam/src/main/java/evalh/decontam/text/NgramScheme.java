package evalh.decontam.text;

/**
 * What an index term is: normalisation, n-gram length, hash function, and which n-grams of a
 * document the index holds (stride or winnowing window). Recorded in the index metadata and
 * compared on every open: an index is only ever queried with the scheme it was built with. Queries
 * always hash every n-gram of the item.
 *
 * <p>Stride s: only n-grams starting at token positions {@code p % s == 0} of each document are
 * indexed. Guarantee: any run of at least {@code n + s - 1} consecutive tokens shared by an item
 * and a document contains an indexed n-gram, so it is detected; shorter shared runs may be missed,
 * and per-item counts become lower bounds.
 *
 * <p>Window w (winnowing): of every w consecutive n-grams of a document, the one with the smallest
 * hash (the rightmost on ties) is indexed; a document with fewer than w n-grams indexes its
 * smallest. About {@code 2 / (w + 1)} of the n-grams are kept, and any run of at least {@code n + w
 * - 1} tokens shared by an item and a document holds a whole window, whose minimum is the same in
 * both, so the document is found. The documents found are then verified: re-read through their
 * provenance and their n-grams re-counted exactly ({@code check.VerifiedMatches}), so per-item
 * counts are exact over them. Stride and window do not combine.
 */
public record NgramScheme(Normalization normalization, int n, int stride, int window)
    implements java.io.Serializable {
  public NgramScheme {
    if (n < 1 || n > 64) {
      throw new IllegalArgumentException("n must be in 1..64, got " + n);
    }
    if (stride < 1) {
      throw new IllegalArgumentException("stride must be >= 1, got " + stride);
    }
    if (window < 1) {
      throw new IllegalArgumentException("winnowing window must be >= 1, got " + window);
    }
    if (stride > 1 && window > 1) {
      throw new IllegalArgumentException(
          "stride " + stride + " and winnowing window " + window + " do not combine: pick one");
    }
  }

  /** Every n-gram, or every {@code stride}-th (no winnowing). */
  public NgramScheme(Normalization normalization, int n, int stride) {
    this(normalization, n, stride, 1);
  }

  public static NgramScheme defaults() {
    return new NgramScheme(Normalization.JANITOR, 13, 1);
  }

  /**
   * Shortest shared run (in tokens) that is guaranteed to be detected: {@code n + stride - 1}, or
   * {@code n + window - 1}.
   */
  public int guaranteedRun() {
    return n + stride - 1 + window - 1;
  }

  /** Whether the index holds window minima, whose documents are verified at query time. */
  public boolean winnowed() {
    return window > 1;
  }

  /** The same normalisation and n with every n-gram (what a scan or the verification computes). */
  public NgramScheme everyNgram() {
    return new NgramScheme(normalization, n, 1, 1);
  }

  public String hash() {
    return NgramHasher.ID;
  }
}
