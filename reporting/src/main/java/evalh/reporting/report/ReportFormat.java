package evalh.reporting.report;

import java.util.Locale;

/** Cell formats shared by the HTML tables and the Markdown report. */
final class ReportFormat {
  private ReportFormat() {}

  /** "48.1 (46.2–50.0)" for proportions in percent, "1.0345 (1.0212–1.0478)" otherwise. */
  static String estimate(Estimate e, boolean percent) {
    if (!e.present()) {
      return "—";
    }
    String v = percent ? f("%.1f", 100 * e.value()) : f("%.4f", e.value());
    if (!e.hasInterval()) {
      return v;
    }
    return percent
        ? v + f(" (%.1f–%.1f)", 100 * e.low(), 100 * e.high())
        : v + f(" (%.4f–%.4f)", e.low(), e.high());
  }

  /** A proportion with its item count: "48.1 (46.2–50.0), n=120". */
  static String estimateWithN(Estimate e) {
    if (!e.present()) {
      return e.n() == 0 ? "— (n=0)" : "—";
    }
    return estimate(e, true) + (e.n() > 0 ? ", n=" + e.n() : "");
  }

  /** "25.0 ± 4.1" for proportions in percent, "1.0345 ± 0.0120" otherwise; no stderr: the value. */
  static String withStderr(double value, double stderr, boolean percent) {
    String v = percent ? f("%.1f", 100 * value) : f("%.4f", value);
    if (Double.isNaN(stderr)) {
      return v;
    }
    return v + (percent ? f(" ± %.1f", 100 * stderr) : f(" ± %.4f", stderr));
  }

  /** Per run (by palette index), the last checkpoint's value: "25.0 ± 4.1 (step 300)". */
  static java.util.List<String> finalValues(ReportModel.CurvePanel p, int runs) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < runs; i++) {
      String cell = "—";
      for (ReportModel.Curve c : p.curves()) {
        if (c.color() == i) {
          int l = c.last();
          cell =
              withStderr(c.value()[l], c.stderr()[l], p.percent()) + " (step " + c.steps()[l] + ")";
        }
      }
      out.add(cell);
    }
    return out;
  }

  static String dirtyShare(long dirty, long total) {
    if (dirty < 0) {
      return "—";
    }
    return total == 0 ? "0/0" : f("%d/%d (%.1f%%)", dirty, total, 100.0 * dirty / total);
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
