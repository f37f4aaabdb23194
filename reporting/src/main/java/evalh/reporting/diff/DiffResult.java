package evalh.reporting.diff;

import java.util.List;

/**
 * The comparison of a candidate run with a baseline.
 *
 * @param baselineLabel the baseline's label
 * @param candidateLabel the candidate's label
 * @param rows one row per task/group and metric
 * @param options the settings used
 */
public record DiffResult(
    String baselineLabel, String candidateLabel, List<Comparison> rows, DiffOptions options) {
  public DiffResult {
    rows = List.copyOf(rows);
  }

  /** The rows that fail the gate. */
  public List<Comparison> failures() {
    return rows.stream().filter(r -> r.verdict().fails()).toList();
  }

  /** The exit code: 1 when any gated comparison failed, else 0. */
  public int exitCode() {
    return failures().isEmpty() ? 0 : 1;
  }
}
