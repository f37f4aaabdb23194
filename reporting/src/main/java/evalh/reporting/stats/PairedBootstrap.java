package evalh.reporting.stats;

import java.util.SplittableRandom;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * The paired (stratified) bootstrap: items are resampled with replacement within each stratum, the
 * same resampled items for both runs, and the metric difference {@code B - A} recomputed each time.
 * The confidence interval is the percentile interval; the two-sided p-value is twice the smaller
 * tail of the bootstrap distribution on either side of 0 (with the usual +1 correction). Seeded:
 * the same inputs and seed give the same numbers.
 */
public final class PairedBootstrap {
  private PairedBootstrap() {}

  /**
   * The outcome.
   *
   * @param valueA run A's observed metric
   * @param valueB run B's observed metric
   * @param delta {@code valueB - valueA}
   * @param ciLow lower bound of the percentile interval of the difference
   * @param ciHigh upper bound
   * @param pValue two-sided p-value for "no difference"
   * @param resamples number of bootstrap resamples
   */
  public record Result(
      double valueA,
      double valueB,
      double delta,
      double ciLow,
      double ciHigh,
      double pValue,
      int resamples) {}

  /** Bootstraps the difference {@code B - A} at level {@code 1 - alpha}. */
  public static Result compare(PairedDesign design, int resamples, double alpha, long seed) {
    checkArgs(resamples, alpha);
    double[] deltas = new double[resamples];
    resample(design, resamples, seed, deltas, null, null);
    double a = design.observed(false);
    double b = design.observed(true);
    long atOrBelow = 0;
    long atOrAbove = 0;
    for (double d : deltas) {
      if (d <= 0) {
        atOrBelow++;
      }
      if (d >= 0) {
        atOrAbove++;
      }
    }
    double p = Math.min(1.0, 2.0 * (1.0 + Math.min(atOrBelow, atOrAbove)) / (resamples + 1.0));
    double[] ci = percentileInterval(deltas, alpha);
    return new Result(a, b, b - a, ci[0], ci[1], p, resamples);
  }

  /** A percentile interval for run A's metric alone (the B side of the design is ignored). */
  public static double[] interval(PairedDesign design, int resamples, double alpha, long seed) {
    checkArgs(resamples, alpha);
    double[] values = new double[resamples];
    resample(design, resamples, seed, null, values, null);
    return percentileInterval(values, alpha);
  }

  private static void checkArgs(int resamples, double alpha) {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
  }

  private static void resample(
      PairedDesign design,
      int resamples,
      long seed,
      double[] deltasOut,
      double[] aOut,
      double[] bOut) {
    SplittableRandom rng = new SplittableRandom(seed);
    int strata = design.strata().size();
    double[] numA = new double[strata];
    double[] denA = new double[strata];
    double[] numB = new double[strata];
    double[] denB = new double[strata];
    for (int r = 0; r < resamples; r++) {
      for (int s = 0; s < strata; s++) {
        PairedDesign.Stratum st = design.strata().get(s);
        int n = st.size();
        double na = 0;
        double da = 0;
        double nb = 0;
        double db = 0;
        for (int i = 0; i < n; i++) {
          int j = rng.nextInt(n);
          na += st.numA()[j];
          da += st.denA()[j];
          nb += st.numB()[j];
          db += st.denB()[j];
        }
        numA[s] = na;
        denA[s] = da;
        numB[s] = nb;
        denB[s] = db;
      }
      double a = design.value(numA, denA);
      if (aOut != null) {
        aOut[r] = a;
      }
      if (deltasOut != null || bOut != null) {
        double b = design.value(numB, denB);
        if (bOut != null) {
          bOut[r] = b;
        }
        if (deltasOut != null) {
          deltasOut[r] = b - a;
        }
      }
    }
  }

  /** The {@code alpha/2} and {@code 1 - alpha/2} quantiles (linear interpolation, R-7). */
  static double[] percentileInterval(double[] values, double alpha) {
    Percentile pct = new Percentile().withEstimationType(EstimationType.R_7);
    pct.setData(values);
    return new double[] {
      pct.evaluate(100.0 * alpha / 2.0), pct.evaluate(100.0 * (1 - alpha / 2.0))
    };
  }

  /** A seed for one comparison, derived from the user's seed and a stable key. */
  public static long seedFor(long seed, String key) {
    long h = 1125899906842597L;
    for (int i = 0; i < key.length(); i++) {
      h = 31 * h + key.charAt(i);
    }
    return seed ^ (h * 0x9E3779B97F4A7C15L);
  }
}
