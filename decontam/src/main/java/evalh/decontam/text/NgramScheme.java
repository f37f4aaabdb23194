package evalh.decontam.text;

/**
 * What an index term is: normalisation, n-gram length, hash function and index stride. Recorded in
 * the index metadata and compared on every open: an index is only ever queried with the scheme it
 * was built with.
 *
 * <p>Stride s: only n-grams starting at token positions {@code p % s == 0} of each document are
 * indexed. Guarantee: any run of at least {@code n + s - 1} consecutive tokens shared by an item
 * and a document contains an indexed n-gram, so it is detected; shorter shared runs may be missed,
 * and per-item counts become lower bounds. Queries always hash every n-gram of the item (stride 1).
 */
public record NgramScheme(Normalization normalization, int n, int stride)
    implements java.io.Serializable {
  public NgramScheme {
    if (n < 1 || n > 64) {
      throw new IllegalArgumentException("n must be in 1..64, got " + n);
    }
    if (stride < 1) {
      throw new IllegalArgumentException("stride must be >= 1, got " + stride);
    }
  }

  public static NgramScheme defaults() {
    return new NgramScheme(Normalization.JANITOR, 13, 1);
  }

  /** Shortest shared run (in tokens) that is guaranteed to be detected: {@code n + stride - 1}. */
  public int guaranteedRun() {
    return n + stride - 1;
  }

  public String hash() {
    return NgramHasher.ID;
  }
}
