package evalh.engine.encoder;

/**
 * sentence-transformers' pooling modes that evalh implements, in the order its {@code Pooling}
 * module concatenates them when several are on. Each pools the L token states [L, H] of one text
 * (padding never included) into H values; sums are accumulated in double.
 */
public enum Pooling {
  /** The first token's state ([CLS]). */
  CLS("pooling_mode_cls_token"),
  /** The per-dimension maximum over the tokens. */
  MAX("pooling_mode_max_tokens"),
  /** The mean over the tokens. */
  MEAN("pooling_mode_mean_tokens"),
  /** The sum over the tokens divided by sqrt(L). */
  MEAN_SQRT_LEN("pooling_mode_mean_sqrt_len_tokens");

  private final String key;

  Pooling(String key) {
    this.key = key;
  }

  /** Its key in {@code 1_Pooling/config.json}. */
  public String key() {
    return key;
  }

  /**
   * Pools {@code tokens} token states of width {@code h}, stored row-major from {@code offset} in
   * {@code states}, into {@code out[at..at+h)}.
   */
  void pool(float[] states, int offset, int tokens, int h, float[] out, int at) {
    for (int j = 0; j < h; j++) {
      double acc = this == MAX ? Double.NEGATIVE_INFINITY : 0;
      int n = this == CLS ? 1 : tokens;
      for (int t = 0; t < n; t++) {
        double v = states[offset + t * h + j];
        acc = this == MAX ? Math.max(acc, v) : acc + v;
      }
      out[at + j] =
          (float)
              switch (this) {
                case CLS, MAX -> acc;
                case MEAN -> acc / tokens;
                case MEAN_SQRT_LEN -> acc / Math.sqrt(tokens);
              };
    }
  }
}
