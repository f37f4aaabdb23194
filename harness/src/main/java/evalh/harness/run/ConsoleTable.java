package evalh.harness.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The short results table printed after a run (lm-eval's markdown layout). */
final class ConsoleTable {
  private ConsoleTable() {}

  static String render(ResultsReport report, Map<String, TaskScores> scores) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Tasks", "n", "n-shot", "Metric", "", "Value", "", "Stderr"});
    for (String name : report.displayOrder()) {
      Map<ResultsReport.View, SubsetMetrics> mv = report.metricsOf(name);
      SubsetMetrics all = mv.get(ResultsReport.View.ALL);
      boolean group = !scores.containsKey(name);
      String label =
          " ".repeat(2 * report.depth(name)) + (report.depth(name) > 0 ? "- " : "") + name;
      String shots = group ? "" : Integer.toString(scores.get(name).plan.numFewshot());
      boolean first = true;
      for (String m : all.values().keySet()) {
        String arrow = ResultsReport.higherIsBetter(m) ? "↑" : "↓";
        addRow(
            rows,
            first ? label : "",
            first ? all.n() : -1,
            first ? shots : "",
            m + (group ? " (micro)" : ""),
            arrow,
            all.values().get(m),
            all.stderrs().get(m));
        first = false;
        if (group && all.macro().containsKey(m)) {
          addRow(
              rows,
              "",
              -1,
              "",
              m + " (macro)",
              arrow,
              all.macro().get(m),
              all.macroStderrs().get(m));
        }
        for (ResultsReport.View v : List.of(ResultsReport.View.CLEAN, ResultsReport.View.DIRTY)) {
          SubsetMetrics sm = mv.get(v);
          if (sm != null && sm.values().containsKey(m)) {
            addRow(
                rows,
                "",
                sm.n(),
                "",
                m + (v == ResultsReport.View.CLEAN ? " clean" : " dirty"),
                arrow,
                sm.values().get(m),
                sm.stderrs().get(m));
          }
        }
      }
    }
    int[] w = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].codePointCount(0, r[i].length()));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int ri = 0; ri < rows.size(); ri++) {
      String[] r = rows.get(ri);
      sb.append('|');
      for (int i = 0; i < r.length; i++) {
        boolean right = i == 1 || i == 5 || i == 7;
        String pad = " ".repeat(w[i] - r[i].codePointCount(0, r[i].length()));
        sb.append(' ').append(right ? pad + r[i] : r[i] + pad).append(" |");
      }
      sb.append('\n');
      if (ri == 0) {
        sb.append('|');
        for (int i = 0; i < r.length; i++) {
          sb.append("-".repeat(w[i] + 2)).append('|');
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  private static void addRow(
      List<String[]> rows,
      String label,
      int n,
      String shots,
      String metric,
      String arrow,
      Double value,
      Double stderr) {
    rows.add(
        new String[] {
          label,
          n < 0 ? "" : Integer.toString(n),
          shots,
          metric,
          arrow,
          fmt(value),
          "±",
          stderr == null || Double.isNaN(stderr) ? "N/A" : fmt(stderr)
        });
  }

  private static String fmt(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
  }
}
