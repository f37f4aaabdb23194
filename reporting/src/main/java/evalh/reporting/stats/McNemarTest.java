package evalh.reporting.stats;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * McNemar's test for paired binary outcomes (item correct under run A / under run B).
 *
 * <p>Only the discordant pairs matter: {@code b} items right under A and wrong under B, {@code c}
 * items wrong under A and right under B. Under the null hypothesis (same accuracy) each discordant
 * pair is equally likely to go either way, so {@code b ~ Binomial(b + c, 1/2)}.
 *
 * <ul>
 *   <li>{@code b + c < 25}: the exact two-sided binomial test, {@code p = min(1, 2 P(X <= min(b,
 *       c)))}, because the chi-square approximation is poor for few discordant pairs;
 *   <li>otherwise: the chi-square statistic with Edwards' continuity correction, {@code (|b - c| -
 *       1)^2 / (b + c)}, on one degree of freedom.
 * </ul>
 */
public final class McNemarTest {
  /** Discordant-pair count below which the exact binomial test is used. */
  public static final int EXACT_BELOW = 25;

  private McNemarTest() {}

  /**
   * The test's outcome.
   *
   * @param b pairs right under A, wrong under B
   * @param c pairs wrong under A, right under B
   * @param exact true when the exact binomial test was used
   * @param chiSquare the continuity-corrected statistic (NaN for the exact test)
   * @param pValue the two-sided p-value
   */
  public record Result(long b, long c, boolean exact, double chiSquare, double pValue) {
    /** A short description naming the test and the discordant counts. */
    public String describe() {
      return (exact ? "McNemar exact binomial" : "McNemar χ² (continuity-corrected)")
          + " (b="
          + b
          + ", c="
          + c
          + ")";
    }
  }

  /** Runs the test on discordant counts {@code b} and {@code c}. */
  public static Result test(long b, long c) {
    if (b < 0 || c < 0) {
      throw new IllegalArgumentException("discordant counts must be >= 0: b=" + b + ", c=" + c);
    }
    long n = b + c;
    if (n == 0) {
      return new Result(b, c, true, Double.NaN, 1.0);
    }
    if (n < EXACT_BELOW) {
      BinomialDistribution bin = new BinomialDistribution(null, (int) n, 0.5);
      double p = 2.0 * bin.cumulativeProbability((int) Math.min(b, c));
      return new Result(b, c, true, Double.NaN, Math.min(1.0, p));
    }
    double d = Math.max(0.0, Math.abs(b - c) - 1.0);
    double chi2 = d * d / n;
    double p = 1.0 - new ChiSquaredDistribution(null, 1).cumulativeProbability(chi2);
    return new Result(b, c, false, chi2, p);
  }
}
