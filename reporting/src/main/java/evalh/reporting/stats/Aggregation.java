package evalh.reporting.stats;

/**
 * How a corpus-level metric is computed from the sums of per-item pairs {@code (num, den)}: the
 * ratio {@code x = Σnum / Σden}, then a transform of {@code x}.
 */
public enum Aggregation {
  /** A mean of per-item values (den = 1): accuracy, exact match. */
  MEAN {
    @Override
    public double apply(double ratio) {
      return ratio;
    }
  },
  /** lm-eval's {@code bits_per_byte}: {@code -(Σ loglikelihood / Σ bytes) / ln 2}. */
  BITS_PER_BYTE {
    @Override
    public double apply(double ratio) {
      return -ratio / Math.log(2);
    }
  },
  /**
   * lm-eval's {@code weighted_perplexity} ({@code byte_perplexity}, {@code word_perplexity}):
   * {@code exp(-Σ loglikelihood / Σ weight)}.
   */
  PERPLEXITY {
    @Override
    public double apply(double ratio) {
      return Math.exp(-ratio);
    }
  };

  /** The metric value for the ratio {@code Σnum / Σden}. */
  public abstract double apply(double ratio);

  /** The aggregation lm-eval uses for a per-item {@code [value, weight]} metric, if known. */
  public static java.util.Optional<Aggregation> forPairMetric(String name) {
    return switch (name) {
      case "bits_per_byte" -> java.util.Optional.of(BITS_PER_BYTE);
      case "byte_perplexity", "word_perplexity" -> java.util.Optional.of(PERPLEXITY);
      default -> java.util.Optional.empty();
    };
  }
}
