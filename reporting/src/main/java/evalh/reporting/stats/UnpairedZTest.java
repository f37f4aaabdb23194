package evalh.reporting.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The unpaired two-sample z-test on two estimates with standard errors, used when per-item samples
 * are not available for both runs: {@code z = (b - a) / sqrt(se_a^2 + se_b^2)}, two-sided.
 */
public final class UnpairedZTest {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  private UnpairedZTest() {}

  /**
   * The outcome.
   *
   * @param delta {@code b - a}
   * @param standardError of the difference
   * @param z the statistic
   * @param pValue two-sided p-value
   * @param ciLow lower bound of the {@code 1 - alpha} interval of the difference
   * @param ciHigh upper bound
   */
  public record Result(
      double delta, double standardError, double z, double pValue, double ciLow, double ciHigh) {}

  /** Tests {@code b - a = 0} given the standard errors of {@code a} and {@code b}. */
  public static Result test(double a, double seA, double b, double seB, double alpha) {
    if (!(seA >= 0) || !(seB >= 0)) {
      throw new IllegalArgumentException("standard errors must be >= 0: " + seA + ", " + seB);
    }
    double delta = b - a;
    double se = Math.sqrt(seA * seA + seB * seB);
    double crit = criticalValue(alpha);
    if (se == 0) {
      return new Result(
          delta,
          0,
          delta == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, delta),
          delta == 0 ? 1.0 : 0.0,
          delta,
          delta);
    }
    double z = delta / se;
    double p = 2.0 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z));
    return new Result(delta, se, z, Math.min(1.0, p), delta - crit * se, delta + crit * se);
  }

  /** The two-sided critical value {@code z_(1 - alpha/2)} (1.959964 for alpha = 0.05). */
  public static double criticalValue(double alpha) {
    return STANDARD_NORMAL.inverseCumulativeProbability(1.0 - alpha / 2.0);
  }
}
