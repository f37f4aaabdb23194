package evalh.reporting.diff;

import evalh.reporting.results.MetricKey;

/**
 * One row of a diff: a metric of a task or group in the baseline and the candidate.
 *
 * @param task task or group name
 * @param group whether it is a group
 * @param metric the metric
 * @param higherIsBetter the metric's direction
 * @param baseline baseline value (NaN when absent)
 * @param candidate candidate value (NaN when absent)
 * @param ciLow lower bound of the interval of {@code candidate - baseline} (NaN when none)
 * @param ciHigh upper bound (NaN when none)
 * @param pValue two-sided p-value (NaN when no test was possible)
 * @param method the test used
 * @param detail details of the test (discordant counts, resamples)
 * @param note why a paired test was not possible, or other remarks ("" when none)
 * @param verdict the gate's verdict
 */
public record Comparison(
    String task,
    boolean group,
    MetricKey metric,
    boolean higherIsBetter,
    double baseline,
    double candidate,
    double ciLow,
    double ciHigh,
    double pValue,
    TestMethod method,
    String detail,
    String note,
    Verdict verdict) {

  /** A comparison no test could be run for (a missing value, or no stderr nor samples). */
  static Comparison untested(
      String task,
      boolean group,
      MetricKey metric,
      boolean higherIsBetter,
      double baseline,
      double candidate,
      String note,
      Verdict verdict) {
    return new Comparison(
        task,
        group,
        metric,
        higherIsBetter,
        baseline,
        candidate,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        TestMethod.NONE,
        "",
        note,
        verdict);
  }

  /** {@code candidate - baseline}. */
  public double delta() {
    return candidate - baseline;
  }

  /**
   * Whether the metric is shown and gated in percentage points: a higher-is-better score with both
   * values in [0, 1] (accuracy and the like). Others are gated in percent of the baseline.
   */
  public boolean proportion() {
    return higherIsBetter && inUnit(baseline) && inUnit(candidate);
  }

  private static boolean inUnit(double v) {
    return Double.isNaN(v) || (v >= 0 && v <= 1);
  }

  /**
   * How much worse the candidate is, in the gate's unit (positive = worse): percentage points for
   * proportions, percent of the baseline otherwise (absolute difference when the baseline is 0).
   */
  public double worsening() {
    double worse = higherIsBetter ? baseline - candidate : candidate - baseline;
    if (proportion()) {
      return 100.0 * worse;
    }
    return baseline == 0 ? worse : 100.0 * worse / Math.abs(baseline);
  }

  Comparison withVerdict(Verdict v) {
    return new Comparison(
        task,
        group,
        metric,
        higherIsBetter,
        baseline,
        candidate,
        ciLow,
        ciHigh,
        pValue,
        method,
        detail,
        note,
        v);
  }
}
