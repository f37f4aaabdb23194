package evalh.reporting.stats;

import org.apache.commons.math3.distribution.HypergeometricDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Fisher's exact test of two binomial proportions {@code k1/n1} and {@code k2/n2} (two-sided: the
 * sum of the hypergeometric probabilities of every table no more likely than the observed one, as
 * R's {@code fisher.test} and scipy's {@code fisher_exact}), with Newcombe's hybrid score interval
 * of the difference {@code k2/n2 - k1/n1}. Used where no per-item samples pair two runs and the
 * counts are small or a reported standard error is 0: a z-test then claims certainty it does not
 * have (3/3 against 0/3 has stderr 0 on both sides, yet p = 0.1).
 */
public final class FisherExactTest {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  /** Relative slack when comparing table probabilities (R uses 1 + 1e-7). */
  private static final double TIE = 1 + 1e-7;

  private FisherExactTest() {}

  /**
   * The outcome.
   *
   * @param pValue two-sided p-value
   * @param ciLow lower bound of the {@code 1 - alpha} interval of {@code p2 - p1}
   * @param ciHigh upper bound
   */
  public record Result(double pValue, double ciLow, double ciHigh) {}

  public static Result test(long k1, long n1, long k2, long n2, double alpha) {
    if (n1 < 1 || n2 < 1 || k1 < 0 || k2 < 0 || k1 > n1 || k2 > n2) {
      throw new IllegalArgumentException(
          "counts must satisfy 0 <= k <= n, n >= 1: " + k1 + "/" + n1 + ", " + k2 + "/" + n2);
    }
    int population = Math.toIntExact(n1 + n2);
    int successes = Math.toIntExact(k1 + k2);
    HypergeometricDistribution h =
        new HypergeometricDistribution(null, population, successes, Math.toIntExact(n1));
    double observed = h.probability(Math.toIntExact(k1));
    double p = 0;
    for (int x = h.getSupportLowerBound(); x <= h.getSupportUpperBound(); x++) {
      double px = h.probability(x);
      if (px <= observed * TIE) {
        p += px;
      }
    }
    double z = STANDARD_NORMAL.inverseCumulativeProbability(1.0 - alpha / 2.0);
    double p1 = (double) k1 / n1;
    double p2 = (double) k2 / n2;
    double[] w1 = wilson(k1, n1, z);
    double[] w2 = wilson(k2, n2, z);
    double d = p2 - p1;
    double low = d - Math.sqrt(sq(p2 - w2[0]) + sq(w1[1] - p1));
    double high = d + Math.sqrt(sq(w2[1] - p2) + sq(p1 - w1[0]));
    return new Result(Math.min(1.0, p), low, high);
  }

  /** Wilson's score interval of {@code k/n}. */
  static double[] wilson(long k, long n, double z) {
    double p = (double) k / n;
    double z2 = z * z;
    double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  private static double sq(double x) {
    return x * x;
  }
}
