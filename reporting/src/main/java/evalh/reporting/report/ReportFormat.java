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

  static String dirtyShare(long dirty, long total) {
    if (dirty < 0) {
      return "—";
    }
    return total == 0 ? "0/0" : f("%d/%d (%.1f%%)", dirty, total, 100.0 * dirty / total);
  }

  /**
   * The dirty share and, where the report ran the paraphrase pass ({@code suspects >= 0}), its
   * suspect count: {@code 3/100 (3.0%) + 5 suspects}.
   */
  static String contamination(long dirty, long total, long suspects) {
    String d = dirtyShare(dirty, total);
    return suspects < 0 ? d : d + f(" + %d suspect%s", suspects, suspects == 1 ? "" : "s");
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
