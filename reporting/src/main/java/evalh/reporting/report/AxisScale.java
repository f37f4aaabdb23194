package evalh.reporting.report;

/** A linear axis from 0 to a "nice" maximum with round tick steps (1, 2, 2.5 or 5 times 10^k). */
final class AxisScale {
  final double max;
  final double step;

  private AxisScale(double max, double step) {
    this.max = max;
    this.step = step;
  }

  /** An axis from 0 covering {@code dataMax} with about {@code ticks} ticks. */
  static AxisScale covering(double dataMax, int ticks) {
    double m = dataMax > 0 && Double.isFinite(dataMax) ? dataMax : 1.0;
    double raw = m / Math.max(1, ticks);
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag;
    for (double f : new double[] {1, 2, 2.5, 5, 10}) {
      if (f * mag >= raw) {
        step = f * mag;
        break;
      }
    }
    double max = Math.ceil(m / step - 1e-9) * step;
    return new AxisScale(max, step);
  }

  int tickCount() {
    return (int) Math.round(max / step);
  }
}
