package evalh.reporting.diff;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a diff as a Markdown table for a terminal or a pull-request comment. */
public final class DiffMarkdown {
  private DiffMarkdown() {}

  public static String render(DiffResult d) {
    GatePolicy g = d.options().gate();
    StringBuilder sb = new StringBuilder();
    sb.append("## evalh diff: ")
        .append(code(d.baselineLabel()))
        .append(" → ")
        .append(code(d.candidateLabel()))
        .append("\n\n");
    List<Comparison> failures = d.failures();
    String settings =
        String.format(
            Locale.ROOT,
            "max drop %s points for proportions / %s%% of the baseline otherwise, α = %s",
            trim(g.maxDrop()),
            trim(g.maxDrop()),
            trim(g.alpha()));
    if (g.failOnChange()) {
      settings += ", any change fails (tolerance " + trim(g.tolerance()) + ")";
    }
    if (failures.isEmpty()) {
      sb.append("**PASS**: no gated metric failed (").append(settings).append(").\n\n");
    } else {
      sb.append("**FAIL**: ")
          .append(failures.size())
          .append(failures.size() == 1 ? " gated metric failed" : " gated metrics failed")
          .append(" (")
          .append(settings)
          .append(").\n\n");
    }
    int level = (int) Math.round(100 * (1 - g.alpha()));
    sb.append("| task | metric | baseline | candidate | Δ | ")
        .append(level)
        .append("% CI | p | test | verdict |\n");
    sb.append("|---|---|---:|---:|---:|---|---:|---|---|\n");
    Map<String, Integer> notes = new LinkedHashMap<>();
    for (Comparison c : d.rows()) {
      String task = cell(c.task()) + (c.group() ? " *(group)*" : "");
      String verdict = c.verdict().fails() ? "**" + c.verdict().text() + "**" : c.verdict().text();
      String test = c.method().label();
      if (!c.note().isEmpty()) {
        int n = notes.computeIfAbsent(c.note(), k -> notes.size() + 1);
        test += " [" + n + "]";
      }
      sb.append("| ")
          .append(task)
          .append(" | ")
          .append(cell(c.metric().display()))
          .append(c.higherIsBetter() ? " ↑" : " ↓")
          .append(" | ")
          .append(DiffFormat.value(c.baseline()))
          .append(" | ")
          .append(DiffFormat.value(c.candidate()))
          .append(" | ")
          .append(DiffFormat.delta(c))
          .append(" | ")
          .append(DiffFormat.interval(c))
          .append(" | ")
          .append(DiffFormat.p(c.pValue()))
          .append(" | ")
          .append(cell(test))
          .append(" | ")
          .append(verdict)
          .append(" |\n");
    }
    sb.append('\n');
    if (!notes.isEmpty()) {
      for (Map.Entry<String, Integer> e : notes.entrySet()) {
        sb.append("[").append(e.getValue()).append("] ").append(cell(e.getKey())).append("  \n");
      }
      sb.append('\n');
    }
    sb.append(
        "Tests: McNemar exact binomial when fewer than 25 items changed correctness, else McNemar χ²"
            + " with continuity correction; paired bootstrap ("
            + d.options().resamples()
            + " resamples, seed "
            + d.options().seed()
            + ") for other per-item metrics and for every paired CI (bits per byte: resampling"
            + " documents); when the runs cannot be paired: Fisher's exact test on the counts"
            + " (value × items) of a proportion when an expected count is below 5 or a stderr is 0"
            + " (CI: Newcombe's score interval), else the unpaired z-test from reported stderr.\n");
    return sb.toString();
  }

  /** Escapes a table cell: pipes, backticks-free line breaks. */
  static String cell(String s) {
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }

  private static String code(String s) {
    String t = s.replace("`", "'").replace("\n", " ");
    return "`" + t + "`";
  }

  private static String trim(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
