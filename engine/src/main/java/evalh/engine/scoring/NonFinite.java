package evalh.engine.scoring;

/**
 * Log-likelihoods that are not numbers. A NaN or infinite score (NaN weights, a float16 overflow)
 * would otherwise be ranked like any other (every choice NaN: the first one "wins"), so every
 * consumer of engine scores refuses it through this one check.
 */
public final class NonFinite {
  private NonFinite() {}

  /** {@code "NaN"}, {@code "+Inf"} or {@code "-Inf"} for a non-finite value, else {@code null}. */
  public static String kind(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return null;
  }

  /** Index of the first non-finite value of {@code values}, or -1. */
  public static int first(double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Thrown when the engine produced a non-finite score; the message names where. */
  public static final class ScoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScoreException(String message) {
      super(message);
    }
  }
}
