package evalh.reporting.report;

import evalh.reporting.results.Run;
import java.util.List;

/** Renders the tables of a {@link ReportModel} as Markdown, for a pull-request comment. */
final class MarkdownReportRenderer {
  private MarkdownReportRenderer() {}

  static String render(ReportModel m, String generated) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(text(m.title())).append("\n\n");
    sb.append("_")
        .append(text(generated))
        .append(". Values in percent for accuracy; 95% intervals" + " in parentheses._\n\n");
    List<String> labels = m.runs().stream().map(Run::label).toList();
    sb.append("## Runs\n\n| run | source | checkpoint |\n|---|---|---|\n");
    for (Run r : m.runs()) {
      sb.append("| ")
          .append(cell(r.label()))
          .append(" | ")
          .append(cell(r.argument()))
          .append(" | ")
          .append(cell(r.results().checkpoint().orElse("—")))
          .append(" |\n");
    }
    sb.append('\n');
    m.curves().ifPresent(c -> curves(sb, c));
    m.accuracy().ifPresent(p -> metric(sb, p, labels));
    m.subjects().ifPresent(p -> metric(sb, p, labels));
    m.bitsPerByte().ifPresent(p -> metric(sb, p, labels));
    m.contamination()
        .ifPresent(
            p -> {
              sb.append("## Contamination per corpus\n\n| task |");
              p.corpora().forEach(c -> sb.append(' ').append(cell(c)).append(" |"));
              sb.append("\n|---|");
              p.corpora().forEach(c -> sb.append("---:|"));
              sb.append('\n');
              for (int i = 0; i < p.tasks().size(); i++) {
                sb.append("| ").append(cell(p.tasks().get(i))).append(" |");
                for (int c = 0; c < p.corpora().size(); c++) {
                  sb.append(' ')
                      .append(ReportFormat.dirtyShare(p.dirty()[i][c], p.total()[i][c]))
                      .append(" |");
                }
                sb.append('\n');
              }
              sb.append('\n');
            });
    for (ReportModel.CleanDirtyPanel p : m.cleanDirty()) {
      sb.append("## Clean vs dirty accuracy: ").append(text(p.corpus())).append("\n\n| task |");
      for (String l : labels) {
        sb.append(' ').append(cell(l)).append(" clean | ").append(cell(l)).append(" dirty |");
      }
      sb.append("\n|---|");
      labels.forEach(l -> sb.append("---:|---:|"));
      sb.append('\n');
      for (int i = 0; i < p.tasks().size(); i++) {
        sb.append("| ").append(cell(p.tasks().get(i))).append(" |");
        for (int j = 0; j < labels.size(); j++) {
          sb.append(' ')
              .append(ReportFormat.estimateWithN(p.clean()[i][j]))
              .append(" | ")
              .append(ReportFormat.estimateWithN(p.dirty()[i][j]))
              .append(" |");
        }
        sb.append('\n');
      }
      sb.append('\n');
    }
    if (!m.notes().isEmpty()) {
      sb.append("## Notes\n\n");
      m.notes().forEach(n -> sb.append("- ").append(text(n)).append('\n'));
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The curves' numbers: the final values, then per panel the value at every step. */
  private static void curves(StringBuilder sb, ReportModel.Curves c) {
    sb.append("## Learning curves: final values\n\n| task | metric |");
    c.runs().forEach(r -> sb.append(' ').append(cell(r)).append(" |"));
    sb.append("\n|---|---|");
    c.runs().forEach(r -> sb.append("---:|"));
    sb.append('\n');
    for (ReportModel.CurvePanel p : c.panels()) {
      sb.append("| ").append(cell(p.task())).append(" | ").append(cell(p.metric())).append(" |");
      for (String v : ReportFormat.finalValues(p, c.runs().size())) {
        sb.append(' ').append(v).append(" |");
      }
      sb.append('\n');
    }
    sb.append('\n');
    for (ReportModel.CurvePanel p : c.panels()) {
      sb.append("### ")
          .append(text(p.task()))
          .append(" · ")
          .append(text(p.metric()))
          .append(p.percent() ? " (%)" : "")
          .append(", ± 1 stderr\n\n| step |");
      java.util.TreeMap<Long, String[]> rows = new java.util.TreeMap<>();
      for (ReportModel.Curve k : p.curves()) {
        sb.append(' ').append(cell(k.run())).append(" |");
      }
      sb.append("\n|---:|");
      for (int j = 0; j < p.curves().size(); j++) {
        ReportModel.Curve k = p.curves().get(j);
        sb.append("---:|");
        for (int i = 0; i < k.value().length; i++) {
          String[] row = rows.computeIfAbsent(k.steps()[i], s -> new String[p.curves().size()]);
          row[j] = ReportFormat.withStderr(k.value()[i], k.stderr()[i], p.percent());
        }
      }
      sb.append('\n');
      rows.forEach(
          (step, row) -> {
            sb.append("| ").append(step).append(" |");
            for (String v : row) {
              sb.append(' ').append(v == null ? "—" : v).append(" |");
            }
            sb.append('\n');
          });
      sb.append('\n');
    }
  }

  private static void metric(StringBuilder sb, ReportModel.MetricPanel p, List<String> labels) {
    sb.append("## ").append(text(p.title())).append("\n\n| task |");
    labels.forEach(l -> sb.append(' ').append(cell(l)).append(" |"));
    sb.append("\n|---|");
    labels.forEach(l -> sb.append("---:|"));
    sb.append('\n');
    for (int i = 0; i < p.tasks().size(); i++) {
      sb.append("| ").append(cell(p.tasks().get(i)));
      if (p.groups().get(i)) {
        sb.append(" *(group)*");
      }
      sb.append(" |");
      for (Estimate e : p.cells()[i]) {
        sb.append(' ').append(ReportFormat.estimate(e, p.percent())).append(" |");
      }
      sb.append('\n');
    }
    sb.append('\n');
  }

  /**
   * A table cell: pipes and backslashes escaped, line breaks flattened, and HTML-significant
   * characters as entities so that a renderer that allows inline HTML (GitHub) shows them as text.
   */
  static String cell(String s) {
    return text(s).replace("|", "\\|");
  }

  static String text(String s) {
    return s.replace("\\", "\\\\")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", " ")
        .replace("\n", " ");
  }
}
