package evalh.reporting.report;

import evalh.reporting.results.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link ReportModel} as one self-contained HTML page: inline CSS, inline SVG charts, no
 * scripts, no external resources. Every string from data is escaped.
 */
final class HtmlReportRenderer {
  private static final int MAX_QUESTION_CHARS = 600;
  private static final String CSS =
      """
      body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1200px;\
      padding:0 16px;color:#1b1b1b;line-height:1.4}
      h1{font-size:24px;margin-bottom:4px}h2{font-size:19px;margin-top:36px;border-bottom:1px solid #ddd;\
      padding-bottom:4px}
      nav a{margin-right:14px}
      table{border-collapse:collapse;margin:12px 0;font-size:13px}
      th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top}
      th{background:#f5f5f5;text-align:left}
      td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      .figure{overflow-x:auto;margin:8px 0}
      .panels{display:flex;flex-wrap:wrap;gap:12px}
      .legend span{display:inline-block;margin-right:16px}.legend i{display:inline-block;width:14px;      height:4px;margin-right:5px;vertical-align:middle}
      .muted{color:#666;font-size:13px}
      .q{white-space:pre-wrap;max-width:640px}
      .ok{color:#00703c;font-weight:600}.bad{color:#b00020;font-weight:600}
      .tag{display:inline-block;background:#fde2e1;color:#8a1c1c;border-radius:3px;padding:0 4px;\
      margin-right:4px}
      """;

  private HtmlReportRenderer() {}

  static String render(ReportModel m, String generated) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(Html.esc(m.title()))
        .append("</title>\n<style>")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n");
    sb.append("<h1>").append(Html.esc(m.title())).append("</h1>\n");
    sb.append("<p class=\"muted\">")
        .append(Html.esc(generated))
        .append(
            ". Intervals are 95%: Wilson score intervals for a task's accuracy (k of n items"
                + " right) and for clean/dirty subsets; ±1.96·stderr for groups and other metrics"
                + " with a reported standard error; otherwise a percentile bootstrap over the"
                + " logged items or documents.</p>\n");
    nav(sb, m);
    runs(sb, m.runs());
    List<String> labels = m.runs().stream().map(Run::label).toList();
    m.curves().ifPresent(c -> curves(sb, c));
    m.accuracy().ifPresent(p -> metricSection(sb, "accuracy", p, labels, true));
    m.subjects()
        .ifPresent(
            p -> {
              sb.append("<section id=\"subjects\">\n<h2>")
                  .append(Html.esc(p.title()))
                  .append("</h2>\n<div class=\"figure\">")
                  .append(SvgHeatMap.render(p.title() + " (%)", p.tasks(), labels, values(p)))
                  .append("</div>\n");
              metricTable(sb, p, labels);
              sb.append("</section>\n");
            });
    m.bitsPerByte().ifPresent(p -> metricSection(sb, "bpb", p, labels, false));
    m.contamination().ifPresent(p -> contamination(sb, p));
    for (int i = 0; i < m.cleanDirty().size(); i++) {
      cleanDirty(sb, m.cleanDirty().get(i), labels, i);
    }
    if (!m.items().isEmpty()) {
      items(sb, m, labels);
    }
    if (!m.notes().isEmpty()) {
      sb.append("<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
      for (String n : m.notes()) {
        sb.append("<li>").append(Html.esc(n)).append("</li>\n");
      }
      sb.append("</ul>\n</section>\n");
    }
    sb.append("</body>\n</html>\n");
    return sb.toString();
  }

  private static void nav(StringBuilder sb, ReportModel m) {
    List<String[]> links = new ArrayList<>();
    links.add(new String[] {"runs", "Runs"});
    m.curves().ifPresent(p -> links.add(new String[] {"curves", "Learning curves"}));
    m.accuracy().ifPresent(p -> links.add(new String[] {"accuracy", "Accuracy"}));
    m.subjects().ifPresent(p -> links.add(new String[] {"subjects", "Per subject"}));
    m.bitsPerByte().ifPresent(p -> links.add(new String[] {"bpb", "Bits per byte"}));
    m.contamination().ifPresent(p -> links.add(new String[] {"contamination", "Contamination"}));
    for (int i = 0; i < m.cleanDirty().size(); i++) {
      links.add(new String[] {"clean-dirty-" + i, "Clean vs dirty"});
    }
    if (!m.items().isEmpty()) {
      links.add(new String[] {"items", "Items"});
    }
    sb.append("<nav>");
    for (String[] l : links) {
      sb.append("<a href=\"#").append(l[0]).append("\">").append(l[1]).append("</a>");
    }
    sb.append("</nav>\n");
  }

  private static void runs(StringBuilder sb, List<Run> runs) {
    sb.append(
        "<section id=\"runs\">\n<h2>Runs</h2>\n<table>\n<tr><th>run</th><th>source</th>"
            + "<th>checkpoint</th><th>details</th></tr>\n");
    for (Run r : runs) {
      StringBuilder details = new StringBuilder();
      for (Map.Entry<String, String> e : r.results().info().entrySet()) {
        if (e.getKey().equals("checkpoint")) {
          continue;
        }
        if (!details.isEmpty()) {
          details.append("<br>");
        }
        details.append(Html.esc(e.getKey())).append(": ").append(Html.esc(e.getValue()));
      }
      sb.append("<tr><td>")
          .append(Html.esc(r.label()))
          .append("</td><td>")
          .append(Html.esc(r.argument()))
          .append("</td><td>")
          .append(Html.esc(r.results().checkpoint().orElse("—")))
          .append("</td><td class=\"muted\">")
          .append(details)
          .append("</td></tr>\n");
    }
    sb.append("</table>\n</section>\n");
  }

  private static void metricSection(
      StringBuilder sb,
      String id,
      ReportModel.MetricPanel p,
      List<String> labels,
      boolean percent) {
    sb.append("<section id=\"")
        .append(id)
        .append("\">\n<h2>")
        .append(Html.esc(p.title()))
        .append("</h2>\n<div class=\"figure\">")
        .append(SvgBarChart.render(chart(p, labels, percent)))
        .append("</div>\n");
    metricTable(sb, p, labels);
    sb.append("</section>\n");
  }

  private static void curves(StringBuilder sb, ReportModel.Curves c) {
    sb.append("<section id=\"curves\">\n<h2>Learning curves</h2>\n<p class=\"muted\">")
        .append(
            Html.esc(
                "Each metric against training "
                    + c.xLabel()
                    + (c.logX() ? " (log scale: the checkpoints span two decades or more)" : "")
                    + ", one line per run; the band is ± 1 standard error where one is reported."))
        .append("</p>\n<div class=\"legend\">");
    for (int i = 0; i < c.runs().size(); i++) {
      sb.append("<span><i style=\"background:")
          .append(Palette.run(i))
          .append("\"></i>")
          .append(Html.esc(c.runs().get(i)))
          .append("</span>");
    }
    sb.append("</div>\n<div class=\"panels\">");
    for (ReportModel.CurvePanel p : c.panels()) {
      sb.append(SvgLineChart.render(p, c.xLabel(), c.logX()));
    }
    sb.append("</div>\n<h3>Final values</h3>\n<table>\n<tr><th>task</th><th>metric</th>");
    for (String r : c.runs()) {
      sb.append("<th>").append(Html.esc(r)).append("</th>");
    }
    sb.append("</tr>\n");
    for (ReportModel.CurvePanel p : c.panels()) {
      sb.append("<tr><td>")
          .append(Html.esc(p.task()))
          .append("</td><td>")
          .append(Html.esc(p.metric()))
          .append("</td>");
      for (String cell : ReportFormat.finalValues(p, c.runs().size())) {
        sb.append("<td class=\"num\">").append(Html.esc(cell)).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table>\n</section>\n");
  }

  static BarChartData chart(ReportModel.MetricPanel p, List<String> labels, boolean percent) {
    int nt = p.tasks().size();
    int nr = labels.size();
    double[][] v = new double[nt][nr];
    double[][] lo = new double[nt][nr];
    double[][] hi = new double[nt][nr];
    for (int i = 0; i < nt; i++) {
      for (int j = 0; j < nr; j++) {
        Estimate e = p.cells()[i][j];
        v[i][j] = e.value();
        lo[i][j] = e.low();
        hi[i][j] = e.high();
      }
    }
    List<String> colors = new ArrayList<>();
    for (int j = 0; j < nr; j++) {
      colors.add(Palette.run(j));
    }
    return new BarChartData(
        p.title(),
        p.metric() + (percent ? " (%)" : ""),
        p.tasks(),
        labels,
        colors,
        v,
        lo,
        hi,
        percent);
  }

  private static double[][] values(ReportModel.MetricPanel p) {
    double[][] v = new double[p.tasks().size()][];
    for (int i = 0; i < v.length; i++) {
      v[i] = new double[p.cells()[i].length];
      for (int j = 0; j < v[i].length; j++) {
        v[i][j] = p.cells()[i][j].value();
      }
    }
    return v;
  }

  private static void metricTable(
      StringBuilder sb, ReportModel.MetricPanel p, List<String> labels) {
    sb.append("<table>\n<tr><th>task</th>");
    for (String l : labels) {
      sb.append("<th>").append(Html.esc(l)).append("</th>");
    }
    sb.append("</tr>\n");
    for (int i = 0; i < p.tasks().size(); i++) {
      sb.append("<tr><td>").append(Html.esc(p.tasks().get(i)));
      if (p.groups().get(i)) {
        sb.append(" <span class=\"muted\">(group)</span>");
      }
      sb.append("</td>");
      for (Estimate e : p.cells()[i]) {
        sb.append("<td class=\"num\">")
            .append(Html.esc(ReportFormat.estimate(e, p.percent())))
            .append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table>\n");
  }

  private static void contamination(StringBuilder sb, ReportModel.ContaminationPanel p) {
    sb.append("<section id=\"contamination\">\n<h2>Contamination per corpus</h2>\n")
        .append(
            "<p class=\"muted\">Items labelled dirty (GPT-3 / lm-eval n-gram overlap) by each"
                + " decontamination report.</p>\n<table>\n<tr><th>task</th>");
    for (String c : p.corpora()) {
      sb.append("<th>").append(Html.esc(c)).append("</th>");
    }
    sb.append("</tr>\n");
    for (int i = 0; i < p.tasks().size(); i++) {
      sb.append("<tr><td>").append(Html.esc(p.tasks().get(i))).append("</td>");
      for (int c = 0; c < p.corpora().size(); c++) {
        sb.append("<td class=\"num\">")
            .append(Html.esc(ReportFormat.dirtyShare(p.dirty()[i][c], p.total()[i][c])))
            .append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table>\n</section>\n");
  }

  private static void cleanDirty(
      StringBuilder sb, ReportModel.CleanDirtyPanel p, List<String> labels, int index) {
    String title = "Clean vs dirty accuracy: " + p.corpus();
    sb.append("<section id=\"clean-dirty-")
        .append(index)
        .append("\">\n<h2>")
        .append(Html.esc(title))
        .append(
            "</h2>\n<p class=\"muted\">Accuracy on the items the corpus does not contain"
                + " (clean) and on those it does (dirty). A gain that sits on dirty items is suspect."
                + "</p>\n");
    int nt = p.tasks().size();
    int nr = labels.size();
    double[][] v = new double[nt][2 * nr];
    double[][] lo = new double[nt][2 * nr];
    double[][] hi = new double[nt][2 * nr];
    List<String> series = new ArrayList<>();
    List<String> colors = new ArrayList<>();
    for (int j = 0; j < nr; j++) {
      series.add(labels.get(j) + " · clean");
      series.add(labels.get(j) + " · dirty");
      colors.add(Palette.run(j));
      colors.add(lighter(Palette.run(j)));
    }
    for (int i = 0; i < nt; i++) {
      for (int j = 0; j < nr; j++) {
        Estimate c = p.clean()[i][j];
        Estimate d = p.dirty()[i][j];
        v[i][2 * j] = c.value();
        lo[i][2 * j] = c.low();
        hi[i][2 * j] = c.high();
        v[i][2 * j + 1] = d.value();
        lo[i][2 * j + 1] = d.low();
        hi[i][2 * j + 1] = d.high();
      }
    }
    sb.append("<div class=\"figure\">")
        .append(
            SvgBarChart.render(
                new BarChartData(title, "acc (%)", p.tasks(), series, colors, v, lo, hi, true)))
        .append("</div>\n<table>\n<tr><th>task</th>");
    for (String l : labels) {
      sb.append("<th>")
          .append(Html.esc(l))
          .append(" clean</th><th>")
          .append(Html.esc(l))
          .append(" dirty</th>");
    }
    sb.append("</tr>\n");
    for (int i = 0; i < nt; i++) {
      sb.append("<tr><td>").append(Html.esc(p.tasks().get(i))).append("</td>");
      for (int j = 0; j < nr; j++) {
        sb.append("<td class=\"num\">")
            .append(Html.esc(ReportFormat.estimateWithN(p.clean()[i][j])))
            .append("</td><td class=\"num\">")
            .append(Html.esc(ReportFormat.estimateWithN(p.dirty()[i][j])))
            .append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table>\n</section>\n");
  }

  private static void items(StringBuilder sb, ReportModel m, List<String> labels) {
    sb.append(
            "<section id=\"items\">\n<h2>Items</h2>\n<p class=\"muted\">Items where the runs"
                + " disagree and items a corpus contains (first ones by doc_id per task).</p>\n")
        .append("<table>\n<tr><th>task</th><th>doc_id</th><th>question</th><th>gold</th>");
    for (String l : labels) {
      sb.append("<th>").append(Html.esc(l)).append("</th>");
    }
    sb.append("<th>why</th></tr>\n");
    for (ReportModel.ItemRow r : m.items()) {
      String q = r.question();
      if (q.length() > MAX_QUESTION_CHARS) {
        q = q.substring(0, MAX_QUESTION_CHARS) + "…";
      }
      sb.append("<tr><td>")
          .append(Html.esc(r.task()))
          .append("</td><td class=\"num\">")
          .append(r.docId())
          .append("</td><td class=\"q\">")
          .append(Html.esc(q))
          .append("</td><td>")
          .append(Html.esc(r.target()))
          .append("</td>");
      for (double c : r.correct()) {
        if (Double.isNaN(c)) {
          sb.append("<td>—</td>");
        } else if (c >= 1) {
          sb.append("<td class=\"ok\">✓</td>");
        } else {
          sb.append("<td class=\"bad\">✗</td>");
        }
      }
      sb.append("<td>").append(Html.esc(r.why()));
      for (String d : r.dirtyIn()) {
        sb.append(" <span class=\"tag\">dirty: ").append(Html.esc(d)).append("</span>");
      }
      sb.append("</td></tr>\n");
    }
    sb.append("</table>\n</section>\n");
  }

  /** The colour mixed halfway with white, for the dirty bars. */
  static String lighter(String hex) {
    int r = Integer.parseInt(hex.substring(1, 3), 16);
    int g = Integer.parseInt(hex.substring(3, 5), 16);
    int b = Integer.parseInt(hex.substring(5, 7), 16);
    return String.format(Locale.ROOT, "#%02x%02x%02x", (r + 255) / 2, (g + 255) / 2, (b + 255) / 2);
  }
}
