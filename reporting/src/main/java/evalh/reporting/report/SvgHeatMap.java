package evalh.reporting.report;

import java.util.List;
import java.util.Locale;

/** Renders a table of values (rows: tasks, columns: runs) as an inline SVG heat map. */
final class SvgHeatMap {
  private static final int CELL_W = 96;
  private static final int CELL_H = 22;
  private static final double CHAR_WIDTH = 7.4;
  private static final int MAX_COLUMN_CHARS = 40;

  private SvgHeatMap() {}

  /** {@code values[row][column]}, NaN when absent; colours span the data's range. */
  static String render(String title, List<String> rows, List<String> columns, double[][] values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] r : values) {
      for (double v : r) {
        if (!Double.isNaN(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 1;
    }
    int labelW =
        (int)
            Math.min(320, 12 + rows.stream().mapToInt(String::length).max().orElse(4) * CHAR_WIDTH);
    // Column labels run up and to the right at 45 degrees from their column's centre: neighbours
    // are CELL_W * sin 45 = 68 px apart across the text direction, so long labels cannot overlap.
    int maxColumn =
        Math.min(MAX_COLUMN_CHARS, columns.stream().mapToInt(String::length).max().orElse(4));
    int diagonal = (int) Math.ceil(maxColumn * CHAR_WIDTH * Math.sqrt(0.5));
    int headerH = 34 + diagonal;
    int width = labelW + columns.size() * CELL_W + Math.max(16, diagonal - CELL_W / 2 + 8);
    int height = headerH + rows.size() * CELL_H + 44;
    StringBuilder sb = new StringBuilder();
    sb.append(
        f(
            "<svg class=\"chart heat-map\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"system-ui, sans-serif\" font-size=\"12\">",
            width, height, width, height));
    sb.append("<title>").append(Html.esc(title)).append("</title>");
    sb.append(
        f(
            "<text x=\"4\" y=\"18\" font-size=\"15\" font-weight=\"600\">%s</text>",
            Html.esc(title)));
    for (int c = 0; c < columns.size(); c++) {
      String name = columns.get(c);
      if (name.length() > MAX_COLUMN_CHARS) {
        name = name.substring(0, MAX_COLUMN_CHARS - 1) + "…";
      }
      sb.append(
          f(
              "<text class=\"column\" transform=\"translate(%d,%d) rotate(-45)\""
                  + " font-weight=\"600\">%s<title>%s</title></text>",
              labelW + c * CELL_W + CELL_W / 2,
              headerH - 6,
              Html.esc(name),
              Html.esc(columns.get(c))));
    }
    for (int r = 0; r < rows.size(); r++) {
      int y = headerH + r * CELL_H;
      sb.append(
          f(
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
              labelW - 8, y + CELL_H / 2 + 4, Html.esc(rows.get(r))));
      for (int c = 0; c < columns.size(); c++) {
        double v = values[r][c];
        int x = labelW + c * CELL_W;
        if (Double.isNaN(v)) {
          sb.append(
              f(
                  "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f2f2f2\""
                      + " stroke=\"#fff\"/><text x=\"%d\" y=\"%d\" text-anchor=\"middle\""
                      + " fill=\"#888\">n/a</text>",
                  x, y, CELL_W, CELL_H, x + CELL_W / 2, y + CELL_H / 2 + 4));
          continue;
        }
        double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
        String tip = rows.get(r) + " · " + columns.get(c) + ": " + f("%.2f%%", 100 * v);
        sb.append(
            f(
                "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\""
                    + " stroke=\"#fff\"><title>%s</title></rect>",
                x, y, CELL_W, CELL_H, Palette.viridis(t), Html.esc(tip)));
        sb.append(
            f(
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>",
                x + CELL_W / 2, y + CELL_H / 2 + 4, Palette.textOnViridis(t), f("%.1f", 100 * v)));
      }
    }
    // colour legend
    int ly = headerH + rows.size() * CELL_H + 16;
    for (int i = 0; i < 10; i++) {
      sb.append(
          f(
              "<rect class=\"legend-swatch\" x=\"%d\" y=\"%d\" width=\"16\" height=\"10\" fill=\"%s\"/>",
              labelW + i * 16, ly, Palette.viridis(i / 9.0)));
    }
    sb.append(
        f(
            "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#444\">%s</text>",
            labelW - 6, ly + 9, f("%.1f%%", 100 * lo)));
    sb.append(
        f(
            "<text x=\"%d\" y=\"%d\" fill=\"#444\">%s</text>",
            labelW + 166, ly + 9, f("%.1f%%", 100 * hi)));
    sb.append("</svg>");
    return sb.toString();
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
