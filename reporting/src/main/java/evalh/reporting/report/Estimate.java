package evalh.reporting.report;

/**
 * A metric value with its 95% interval.
 *
 * @param value the value (NaN when absent)
 * @param low lower bound (NaN when unknown)
 * @param high upper bound (NaN when unknown)
 * @param n items behind the value (0 when unknown)
 */
record Estimate(double value, double low, double high, long n) {
  static final Estimate ABSENT = new Estimate(Double.NaN, Double.NaN, Double.NaN, 0);

  boolean present() {
    return !Double.isNaN(value);
  }

  boolean hasInterval() {
    return !Double.isNaN(low) && !Double.isNaN(high);
  }
}
