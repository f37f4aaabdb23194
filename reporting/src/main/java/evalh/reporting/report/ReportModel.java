package evalh.reporting.report;

import evalh.reporting.results.Run;
import java.util.List;
import java.util.Optional;

/**
 * Everything a report shows, computed once and rendered as HTML and as Markdown.
 *
 * @param title page title
 * @param runs the runs, labelled, in column order
 * @param accuracy accuracy per group/task per run
 * @param subjects per-subject accuracy (leaf tasks) per run
 * @param bitsPerByte bits per byte per validation source per run
 * @param contamination dirty counts per task per corpus
 * @param cleanDirty clean-vs-dirty accuracy per corpus
 * @param items example items: where runs disagree, dirty items
 * @param notes remarks about missing data
 * @param curves learning curves of checkpoint sweeps, if any run is one
 */
record ReportModel(
    String title,
    List<Run> runs,
    Optional<MetricPanel> accuracy,
    Optional<MetricPanel> subjects,
    Optional<MetricPanel> bitsPerByte,
    Optional<ContaminationPanel> contamination,
    List<CleanDirtyPanel> cleanDirty,
    List<ItemRow> items,
    List<String> notes,
    Optional<Curves> curves) {

  /**
   * Metric against training step (or tokens) for the runs of checkpoint sweeps.
   *
   * @param xLabel {@code step} or {@code tokens}
   * @param logX whether the x axis is logarithmic (the x values span two decades or more)
   * @param runs the series' labels, in palette order
   * @param panels one per task and metric
   */
  record Curves(String xLabel, boolean logX, List<String> runs, List<CurvePanel> panels) {}

  /**
   * One task's metric against x, one curve per run.
   *
   * @param task task or group
   * @param metric the metric key shown
   * @param percent values are proportions
   * @param higherIsBetter direction
   * @param curves one per run that has the task, in palette order
   */
  record CurvePanel(
      String task, String metric, boolean percent, boolean higherIsBetter, List<Curve> curves) {}

  /**
   * One run's values at its checkpoints.
   *
   * @param run the run's label
   * @param color its palette index
   * @param x step or tokens per point
   * @param steps training step per point
   * @param value metric per point
   * @param stderr standard error per point (NaN when not reported)
   */
  record Curve(String run, int color, double[] x, long[] steps, double[] value, double[] stderr) {
    int last() {
      return value.length - 1;
    }
  }

  /**
   * One metric over tasks (rows) and runs (columns).
   *
   * @param title section title
   * @param metric the metric key shown
   * @param tasks row names
   * @param groups which rows are groups
   * @param cells {@code cells[task][run]}
   * @param percent values are proportions
   * @param higherIsBetter direction
   */
  record MetricPanel(
      String title,
      String metric,
      List<String> tasks,
      List<Boolean> groups,
      Estimate[][] cells,
      boolean percent,
      boolean higherIsBetter) {}

  /**
   * Dirty items per task per corpus.
   *
   * @param corpora corpus labels
   * @param tasks row names
   * @param dirty {@code dirty[task][corpus]}, -1 when the corpus does not cover the task
   * @param total {@code total[task][corpus]} items the corpus report covers
   */
  record ContaminationPanel(
      List<String> corpora, List<String> tasks, long[][] dirty, long[][] total) {}

  /**
   * Accuracy on clean and dirty items for one corpus.
   *
   * @param corpus corpus label (or a note that the run's own decontam columns were used)
   * @param tasks row names
   * @param clean {@code clean[task][run]}
   * @param dirty {@code dirty[task][run]}
   */
  record CleanDirtyPanel(
      String corpus, List<String> tasks, Estimate[][] clean, Estimate[][] dirty) {}

  /**
   * An item shown in the report.
   *
   * @param task leaf task
   * @param docId doc_id
   * @param question the question text (escaped when rendered)
   * @param target the gold answer
   * @param correct per run: 1 right, 0 wrong, NaN not evaluated
   * @param dirtyIn corpora that contain it
   * @param why why it is shown
   */
  record ItemRow(
      String task,
      int docId,
      String question,
      String target,
      double[] correct,
      List<String> dirtyIn,
      String why) {}
}
