package evalh.reporting.diff;

import java.util.Locale;

/** Number formatting shared by the Markdown table and the JUnit messages. */
final class DiffFormat {
  private DiffFormat() {}

  static String value(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    if (Math.abs(v) >= 1000) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** The change, in points for proportions, else absolute with the relative change. */
  static String delta(Comparison c) {
    double d = c.delta();
    if (Double.isNaN(d)) {
      return "—";
    }
    if (c.proportion()) {
      return String.format(Locale.ROOT, "%+.2f pt", 100 * d);
    }
    if (c.baseline() == 0) {
      return String.format(Locale.ROOT, "%+.4g", d);
    }
    return String.format(Locale.ROOT, "%+.4g (%+.2f%%)", d, 100 * d / Math.abs(c.baseline()));
  }

  static String interval(Comparison c) {
    if (Double.isNaN(c.ciLow()) || Double.isNaN(c.ciHigh())) {
      return "—";
    }
    if (c.proportion()) {
      return String.format(Locale.ROOT, "[%+.2f, %+.2f] pt", 100 * c.ciLow(), 100 * c.ciHigh());
    }
    return String.format(Locale.ROOT, "[%+.4g, %+.4g]", c.ciLow(), c.ciHigh());
  }

  static String p(double p) {
    if (Double.isNaN(p)) {
      return "—";
    }
    if (p < 1e-4) {
      return "<0.0001";
    }
    return String.format(Locale.ROOT, "%.4f", p);
  }

  /** The worsening in the gate's unit, for messages. */
  static String worsening(Comparison c) {
    double w = c.worsening();
    return c.proportion()
        ? String.format(Locale.ROOT, "%.2f points", w)
        : String.format(Locale.ROOT, "%.2f%% of the baseline", w);
  }
}
