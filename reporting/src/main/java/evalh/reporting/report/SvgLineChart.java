package evalh.reporting.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link ReportModel.CurvePanel} as an inline SVG line chart: one line per run with its
 * points, a band of ± 1 standard error where one is reported, and a linear or log10 x axis.
 */
final class SvgLineChart {
  static final int WIDTH = 520;
  static final int HEIGHT = 300;
  private static final int LEFT = 76;
  private static final int RIGHT = 20;
  private static final int TOP = 34;
  private static final int BOTTOM = 52;
  private static final double CHAR_WIDTH = 6.8;

  private SvgLineChart() {}

  /** An axis: its domain and the ticks to label. */
  record Axis(double lo, double hi, List<Double> ticks, double step) {}

  static String render(ReportModel.CurvePanel p, String xLabel, boolean logX) {
    int pw = WIDTH - LEFT - RIGHT;
    int ph = HEIGHT - TOP - BOTTOM;
    Axis x = logX ? logAxis(p) : linearXAxis(p);
    Axis y = yAxis(p);
    StringBuilder sb = new StringBuilder();
    String title = p.task() + " · " + p.metric() + (p.higherIsBetter() ? " (↑)" : " (↓)");
    sb.append(
        f(
            "<svg class=\"chart curve\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"system-ui, sans-serif\" font-size=\"11\">",
            WIDTH, HEIGHT, WIDTH, HEIGHT));
    sb.append("<title>").append(Html.esc(title)).append("</title>");
    int maxTitle = (int) ((WIDTH - 8) / (CHAR_WIDTH * 1.15));
    String shown = title.length() > maxTitle ? title.substring(0, maxTitle - 1) + "…" : title;
    sb.append(
        f(
            "<text class=\"label\" x=\"4\" y=\"18\" font-size=\"13\" font-weight=\"600\">%s</text>",
            Html.esc(shown)));
    for (double t : y.ticks()) {
      double py = TOP + ph - ph * (t - y.lo()) / (y.hi() - y.lo());
      sb.append(
          f(
              "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>",
              LEFT, py, LEFT + pw, py));
      sb.append(
          f(
              "<text class=\"label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">%s</text>",
              LEFT - 6, py + 4, Html.esc(SvgBarChart.tick(t, y.step(), p.percent()))));
    }
    for (double t : x.ticks()) {
      double px = xPos(t, x, logX, pw);
      sb.append(
          f(
              "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eeeeee\"/>",
              px, TOP, px, TOP + ph));
      sb.append(
          f(
              "<text class=\"label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s</text>",
              px, TOP + ph + 20, Html.esc(compact(t))));
    }
    sb.append(
        f(
            "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s%s</text>",
            LEFT + pw / 2, HEIGHT - 8, Html.esc(xLabel), logX ? " (log scale)" : ""));
    sb.append(
        f(
            "<text class=\"label\" transform=\"translate(14,%d) rotate(-90)\""
                + " text-anchor=\"middle\" fill=\"#444\">%s</text>",
            TOP + ph / 2, Html.esc(p.metric() + (p.percent() ? " (%)" : ""))));
    for (ReportModel.Curve c : p.curves()) {
      String color = Palette.run(c.color());
      List<String> upper = new ArrayList<>();
      List<String> lower = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < c.value().length; i++) {
        double px = xPos(c.x()[i], x, logX, pw);
        double py = yPos(c.value()[i], y, ph);
        line.append(f("%.1f,%.1f ", px, py));
        if (!Double.isNaN(c.stderr()[i])) {
          upper.add(f("%.1f,%.1f", px, yPos(c.value()[i] + c.stderr()[i], y, ph)));
          lower.addFirst(f("%.1f,%.1f", px, yPos(c.value()[i] - c.stderr()[i], y, ph)));
        }
      }
      if (upper.size() == c.value().length && upper.size() > 1) {
        sb.append(
            f(
                "<polygon class=\"band\" points=\"%s %s\" fill=\"%s\" fill-opacity=\"0.16\""
                    + " stroke=\"none\"/>",
                String.join(" ", upper), String.join(" ", lower), color));
      }
      if (c.value().length > 1) {
        sb.append(
            f(
                "<polyline class=\"line\" data-run=\"%d\" points=\"%s\" fill=\"none\" stroke=\"%s\""
                    + " stroke-width=\"2\"/>",
                c.color(), line.toString().strip(), color));
      }
      for (int i = 0; i < c.value().length; i++) {
        double px = xPos(c.x()[i], x, logX, pw);
        double py = yPos(c.value()[i], y, ph);
        String tip =
            c.run()
                + " · step "
                + c.steps()[i]
                + ": "
                + ReportFormat.withStderr(c.value()[i], c.stderr()[i], p.percent());
        if (!Double.isNaN(c.stderr()[i])) {
          double lo = yPos(c.value()[i] - c.stderr()[i], y, ph);
          double hi = yPos(c.value()[i] + c.stderr()[i], y, ph);
          if (c.value().length == 1) {
            sb.append(
                f(
                    "<line class=\"band\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                        + " stroke=\"%s\" stroke-opacity=\"0.5\" stroke-width=\"6\"/>",
                    px, lo, px, hi, color));
          }
        }
        sb.append(
            f(
                "<circle class=\"point\" data-run=\"%d\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\""
                    + " fill=\"%s\"><title>%s</title></circle>",
                c.color(), px, py, color, Html.esc(tip)));
      }
    }
    sb.append(
        f(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
            LEFT, TOP + ph, LEFT + pw, TOP + ph));
    sb.append(
        f(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
            LEFT, TOP, LEFT, TOP + ph));
    sb.append("</svg>");
    return sb.toString();
  }

  private static double xPos(double v, Axis a, boolean log, int pw) {
    double t =
        log
            ? (Math.log10(v) - Math.log10(a.lo())) / (Math.log10(a.hi()) - Math.log10(a.lo()))
            : (v - a.lo()) / (a.hi() - a.lo());
    return LEFT + pw * t;
  }

  private static double yPos(double v, Axis a, int ph) {
    double t = (v - a.lo()) / (a.hi() - a.lo());
    return TOP + ph - ph * Math.max(-0.02, Math.min(1.02, t));
  }

  /** Whether x values (all > 0) span two decades or more: then the x axis is log10. */
  static boolean wantsLog(double min, double max) {
    return min > 0 && max / min >= 100;
  }

  private static Axis linearXAxis(ReportModel.CurvePanel p) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (ReportModel.Curve c : p.curves()) {
      for (double v : c.x()) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo == hi) { // one checkpoint: centre it
      lo = lo > 0 ? 0 : lo - 1;
      hi = hi > 0 ? 2 * hi : hi + 1;
    }
    return nice(lo, hi, 5, false);
  }

  private static Axis logAxis(ReportModel.CurvePanel p) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (ReportModel.Curve c : p.curves()) {
      for (double v : c.x()) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    int a = (int) Math.floor(Math.log10(lo) + 1e-9);
    int b = (int) Math.ceil(Math.log10(hi) - 1e-9);
    if (a == b) {
      b++;
    }
    int every = Math.max(1, (int) Math.ceil((b - a) / 6.0)); // at most ~7 labels
    List<Double> ticks = new ArrayList<>();
    for (int k = a; k <= b; k += every) {
      ticks.add(Math.pow(10, k));
    }
    return new Axis(Math.pow(10, a), Math.pow(10, b), ticks, 1);
  }

  private static Axis yAxis(ReportModel.CurvePanel p) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (ReportModel.Curve c : p.curves()) {
      for (int i = 0; i < c.value().length; i++) {
        double se = Double.isNaN(c.stderr()[i]) ? 0 : c.stderr()[i];
        lo = Math.min(lo, c.value()[i] - se);
        hi = Math.max(hi, c.value()[i] + se);
      }
    }
    if (p.percent()) {
      lo = Math.max(0, lo);
      hi = Math.min(1, hi);
    }
    if (hi - lo < 1e-12) {
      double pad = Math.max(Math.abs(lo) * 0.05, 0.01);
      lo -= pad;
      hi += pad;
    }
    return nice(lo, hi, 5, p.percent());
  }

  /** A domain covering [lo, hi] with round ticks (1, 2, 2.5 or 5 times 10^k). */
  static Axis nice(double lo, double hi, int ticks, boolean clampUnit) {
    double raw = (hi - lo) / Math.max(1, ticks - 1);
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = 10 * mag;
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * mag >= raw) {
        step = m * mag;
        break;
      }
    }
    double a = Math.floor(lo / step + 1e-9) * step;
    double b = Math.ceil(hi / step - 1e-9) * step;
    if (clampUnit) {
      a = Math.max(0, a);
      b = Math.min(1, b);
    }
    List<Double> t = new ArrayList<>();
    for (int i = 0; a + i * step <= b + step * 1e-6; i++) {
      t.add(a + i * step);
    }
    return new Axis(a, b, t, step);
  }

  /** 0, 950, 1.5k, 20k, 4M, 1.5B, 2T. */
  static String compact(double v) {
    double a = Math.abs(v);
    String[] units = {"", "k", "M", "B", "T"};
    int u = 0;
    while (a >= 1000 && u < units.length - 1) {
      a /= 1000;
      v /= 1000;
      u++;
    }
    String n =
        Math.abs(v - Math.rint(v)) < 1e-9
            ? f("%d", Math.round(v))
            : f("%.2f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    return n + units[u];
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
