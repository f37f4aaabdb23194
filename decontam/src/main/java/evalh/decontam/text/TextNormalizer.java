package evalh.decontam.text;

/**
 * Splits a text into normalised word tokens, keeping each token's span in the original text. The
 * single source of truth for normalisation: the Lucene analyzer, the query side, the oracle-free
 * scanners and (later) Spark jobs all call it.
 */
public interface TextNormalizer {
  /** Clears {@code out} and fills it with the normalised tokens of {@code text}. */
  void tokenize(CharSequence text, TokenBuffer out);

  /** Convenience: the normalised tokens as strings. */
  default java.util.List<String> tokens(CharSequence text) {
    TokenBuffer b = new TokenBuffer(true);
    tokenize(text, b);
    return b.texts();
  }
}
