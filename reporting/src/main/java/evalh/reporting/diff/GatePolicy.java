package evalh.reporting.diff;

/**
 * When a comparison fails the gate.
 *
 * @param maxDrop largest tolerated worsening: percentage points for proportions, percent of the
 *     baseline for other metrics
 * @param alpha significance level
 * @param failOnChange fail on any change beyond {@code tolerance}, significant or not
 * @param tolerance relative tolerance under which two values count as equal ({@code |a - b| <=
 *     tolerance * max(1, |a|)})
 * @param requireTest fail a drop beyond the threshold that no test could check
 */
public record GatePolicy(
    double maxDrop, double alpha, boolean failOnChange, double tolerance, boolean requireTest) {

  public GatePolicy {
    if (!(maxDrop >= 0) || Double.isInfinite(maxDrop)) {
      throw new IllegalArgumentException("--max-drop must be a finite number >= 0, got " + maxDrop);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("--alpha must be in (0, 1), got " + alpha);
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("--tolerance must be >= 0, got " + tolerance);
    }
  }

  /** Whether two values count as equal. */
  public boolean same(double a, double b) {
    return Math.abs(a - b) <= tolerance * Math.max(1.0, Math.abs(a));
  }

  /** The verdict for a comparison of two present values. */
  public Verdict judge(Comparison c) {
    if (same(c.baseline(), c.candidate())) {
      return Verdict.SAME;
    }
    if (failOnChange) {
      return Verdict.CHANGED;
    }
    boolean tested = !Double.isNaN(c.pValue());
    boolean significant = tested && c.pValue() < alpha;
    double worse = c.worsening();
    if (worse > 0) {
      if (!tested) {
        return worse > maxDrop && requireTest
            ? Verdict.REGRESSION_UNTESTED
            : Verdict.WORSE_UNTESTED;
      }
      if (worse > maxDrop) {
        return significant ? Verdict.REGRESSION : Verdict.WORSE_NOT_SIGNIFICANT;
      }
      return significant ? Verdict.WORSE_WITHIN_THRESHOLD : Verdict.WORSE_NOT_SIGNIFICANT;
    }
    if (!tested) {
      return Verdict.BETTER_UNTESTED;
    }
    return significant ? Verdict.IMPROVED : Verdict.BETTER_NOT_SIGNIFICANT;
  }
}
