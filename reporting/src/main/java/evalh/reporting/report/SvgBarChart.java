package evalh.reporting.report;

import java.util.Locale;

/** Renders a {@link BarChartData} as an inline SVG grouped bar chart with interval whiskers. */
final class SvgBarChart {
  private static final int BAR = 18;
  private static final int GROUP_GAP = 26;
  private static final int LEFT = 64;
  private static final int RIGHT = 24;
  private static final int TOP = 26;
  private static final int LEGEND_ITEM = 170;
  private static final int PLOT_HEIGHT = 260;
  private static final double CHAR_WIDTH = 6.2;

  private SvgBarChart() {}

  static String render(BarChartData d) {
    int nc = d.categories().size();
    int ns = d.series().size();
    int groupWidth = ns * BAR + GROUP_GAP;
    int plotWidth = Math.max(nc * groupWidth, 320);
    int legendRows = (ns + legendColumns(plotWidth) - 1) / legendColumns(plotWidth);
    int top = TOP + legendRows * 18;
    int maxLabel = d.categories().stream().mapToInt(String::length).max().orElse(1);
    boolean rotate = maxLabel * CHAR_WIDTH > groupWidth - 4;
    int bottom = rotate ? (int) Math.min(170, 24 + maxLabel * CHAR_WIDTH * 0.72) : 40;
    int width = LEFT + plotWidth + RIGHT;
    int height = top + PLOT_HEIGHT + bottom;

    double dataMax = 0;
    for (int c = 0; c < nc; c++) {
      for (int s = 0; s < ns; s++) {
        dataMax = max(dataMax, d.value()[c][s]);
        dataMax = max(dataMax, d.high()[c][s]);
      }
    }
    AxisScale axis = AxisScale.covering(d.percent() ? Math.min(1.0, dataMax) : dataMax, 5);
    if (d.percent() && dataMax > axis.max) {
      axis = AxisScale.covering(dataMax, 5);
    }

    StringBuilder sb = new StringBuilder();
    sb.append(
        f(
            "<svg class=\"chart bar-chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"system-ui, sans-serif\" font-size=\"12\">",
            width, height, width, height));
    sb.append("<title>").append(Html.esc(d.title())).append("</title>");
    legend(sb, d, plotWidth);

    // y grid and ticks
    for (int t = 0; t <= axis.tickCount(); t++) {
      double v = t * axis.step;
      double y = top + PLOT_HEIGHT - PLOT_HEIGHT * v / axis.max;
      sb.append(
          f(
              "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>",
              LEFT, y, LEFT + plotWidth, y));
      sb.append(
          f(
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">%s</text>",
              LEFT - 6, y + 4, Html.esc(tick(v, axis.step, d.percent()))));
    }
    sb.append(
        f(
            "<text transform=\"translate(14,%d) rotate(-90)\" text-anchor=\"middle\""
                + " fill=\"#444\">%s</text>",
            top + PLOT_HEIGHT / 2, Html.esc(d.yLabel())));

    for (int c = 0; c < nc; c++) {
      int gx = LEFT + c * groupWidth + GROUP_GAP / 2;
      for (int s = 0; s < ns; s++) {
        double v = d.value()[c][s];
        int x = gx + s * BAR;
        String tip = d.series().get(s) + " · " + d.categories().get(c) + ": ";
        if (Double.isNaN(v)) {
          sb.append(
              f(
                  "<text x=\"%d\" y=\"%d\" font-size=\"9\" fill=\"#888\" text-anchor=\"middle\">n/a</text>",
                  x + BAR / 2, top + PLOT_HEIGHT - 4));
          continue;
        }
        double h = PLOT_HEIGHT * Math.max(0, v) / axis.max;
        double y = top + PLOT_HEIGHT - h;
        tip += fmt(v, d.percent());
        double lo = d.low()[c][s];
        double hi = d.high()[c][s];
        if (!Double.isNaN(lo) && !Double.isNaN(hi)) {
          tip += " (95% CI " + fmt(lo, d.percent()) + " – " + fmt(hi, d.percent()) + ")";
        }
        sb.append(
            f(
                "<rect class=\"bar\" data-series=\"%d\" x=\"%d\" y=\"%.1f\" width=\"%d\""
                    + " height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
                s, x + 1, y, BAR - 2, Math.max(h, 0.5), d.colors().get(s), Html.esc(tip)));
        if (!Double.isNaN(lo) && !Double.isNaN(hi)) {
          double ylo = top + PLOT_HEIGHT - PLOT_HEIGHT * Math.max(0, lo) / axis.max;
          double yhi = top + PLOT_HEIGHT - PLOT_HEIGHT * Math.min(axis.max, hi) / axis.max;
          int cx = x + BAR / 2;
          sb.append(
              f(
                  "<g class=\"ci\" stroke=\"#222\" stroke-width=\"1.3\"><line x1=\"%d\" y1=\"%.1f\""
                      + " x2=\"%d\" y2=\"%.1f\"/><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                      + "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/></g>",
                  cx, ylo, cx, yhi, cx - 4, ylo, cx + 4, ylo, cx - 4, yhi, cx + 4, yhi));
        }
      }
      int lx = gx + ns * BAR / 2;
      int ly = top + PLOT_HEIGHT + 14;
      String label = Html.esc(d.categories().get(c));
      if (rotate) {
        sb.append(
            f(
                "<text class=\"category\" transform=\"translate(%d,%d) rotate(-35)\""
                    + " text-anchor=\"end\">%s</text>",
                lx, ly, label));
      } else {
        sb.append(
            f(
                "<text class=\"category\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                lx, ly, label));
      }
    }
    sb.append(
        f(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
            LEFT, top + PLOT_HEIGHT, LEFT + plotWidth, top + PLOT_HEIGHT));
    sb.append(
        f(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
            LEFT, top, LEFT, top + PLOT_HEIGHT));
    sb.append("</svg>");
    return sb.toString();
  }

  private static int legendColumns(int plotWidth) {
    return Math.max(1, plotWidth / LEGEND_ITEM);
  }

  private static void legend(StringBuilder sb, BarChartData d, int plotWidth) {
    int cols = legendColumns(plotWidth);
    for (int s = 0; s < d.series().size(); s++) {
      int row = s / cols;
      int col = s % cols;
      int x = LEFT + col * LEGEND_ITEM;
      int y = 16 + row * 18;
      sb.append(
          f(
              "<rect class=\"legend-swatch\" x=\"%d\" y=\"%d\" width=\"12\" height=\"12\""
                  + " fill=\"%s\"/>",
              x, y - 10, d.colors().get(s)));
      String name = d.series().get(s);
      if (name.length() > 24) {
        name = name.substring(0, 23) + "…";
      }
      sb.append(f("<text x=\"%d\" y=\"%d\">%s</text>", x + 16, y, Html.esc(name)));
    }
  }

  private static double max(double a, double b) {
    return Double.isNaN(b) ? a : Math.max(a, b);
  }

  /** A tick label with as many decimals as the step needs (0.25 -> 2, 0.5 -> 1, 20 -> 0). */
  static String tick(double v, double step, boolean percent) {
    double shown = percent ? 100 * v : v;
    double s = percent ? 100 * step : step;
    int decimals = 0;
    while (decimals < 8
        && Math.abs(s * Math.pow(10, decimals) - Math.rint(s * Math.pow(10, decimals))) > 1e-6) {
      decimals++;
    }
    return f("%." + decimals + "f", shown) + (percent ? "%" : "");
  }

  static String fmt(double v, boolean percent) {
    return percent ? f("%.1f%%", 100 * v) : f("%.4f", v);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
