package evalh.decontam.analysis;

/** How an n-gram becomes an index term. */
public enum TermForm {
  /** 8 bytes: the big-endian {@link evalh.decontam.text.NgramHasher} hash (the default). */
  HASH64,
  /** The normalised tokens joined by single spaces, UTF-8 (measured for comparison only). */
  TEXT
}
