package evalh.reporting.report;

import evalh.reporting.diff.PairedDesigns;
import evalh.reporting.results.CorpusLabels;
import evalh.reporting.results.MetricKey;
import evalh.reporting.results.ResultsFormatException;
import evalh.reporting.results.Run;
import evalh.reporting.results.SampleItem;
import evalh.reporting.results.SweepLocator;
import evalh.reporting.results.SweepPosition;
import evalh.reporting.results.TaskResult;
import evalh.reporting.stats.PairedBootstrap;
import evalh.reporting.stats.UnpairedZTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/** Computes a {@link ReportModel} from labelled runs and optional decontamination reports. */
final class ReportBuilder {
  static final MetricKey BPB = MetricKey.parse("bits_per_byte,none");
  private static final MetricKey ACC_CLEAN = MetricKey.parse("acc_decontaminate,none");
  private static final MetricKey ACC_DIRTY = MetricKey.parse("acc_dirty,none");
  private static final double ALPHA = 0.05;

  private final List<Run> runs;
  private final List<CorpusLabels> decontams;
  private final MetricKey acc;
  private final int resamples;
  private final long seed;
  private final int maxItems;
  private final Set<String> notes = new LinkedHashSet<>();
  private final Set<String> groups = new LinkedHashSet<>();
  private final Set<String> leaves = new LinkedHashSet<>();
  private List<String> sweepLabels = List.of();
  private List<SweepLocator.Series> sweeps = List.of();
  private boolean xTokens;

  ReportBuilder(
      List<Run> runs,
      List<CorpusLabels> decontams,
      MetricKey accuracy,
      int resamples,
      long seed,
      int maxItems) {
    this.runs = List.copyOf(runs);
    this.acc = accuracy;
    this.decontams = List.copyOf(decontams);
    this.resamples = resamples;
    this.seed = seed;
    this.maxItems = maxItems;
    for (Run r : runs) {
      for (TaskResult t : r.results().tasks().values()) {
        (t.group() ? groups : leaves).add(t.name());
      }
    }
    leaves.removeAll(groups);
  }

  /**
   * Adds learning curves for checkpoint sweeps; their last checkpoints must be the first runs, in
   * the same order (so that a run has one colour in every chart).
   *
   * @param labels the series' labels
   * @param tokens x is tokens seen instead of the step
   */
  ReportBuilder withSweeps(List<String> labels, List<SweepLocator.Series> series, boolean tokens) {
    this.sweepLabels = List.copyOf(labels);
    this.sweeps = List.copyOf(series);
    this.xTokens = tokens;
    for (SweepLocator.Series sr : series) {
      for (Run r : sr.points()) {
        for (TaskResult t : r.results().tasks().values()) {
          (t.group() ? groups : leaves).add(t.name());
        }
      }
    }
    leaves.removeAll(groups);
    return this;
  }

  ReportModel build(String title) {
    Optional<ReportModel.MetricPanel> accuracy = accuracyPanel();
    Optional<ReportModel.MetricPanel> subjects = subjectsPanel();
    Optional<ReportModel.MetricPanel> bpb = bitsPerBytePanel();
    Optional<ReportModel.Curves> curves = curves();
    List<ReportModel.CleanDirtyPanel> cleanDirty = new ArrayList<>();
    for (CorpusLabels d : decontams) {
      cleanDirtyPanel(d).ifPresent(cleanDirty::add);
    }
    if (decontams.isEmpty()) {
      reportedCleanDirtyPanel().ifPresent(cleanDirty::add);
    }
    return new ReportModel(
        title,
        runs,
        accuracy,
        subjects,
        bpb,
        contaminationPanel(),
        cleanDirty,
        items(),
        List.copyOf(notes),
        curves);
  }

  // ---- learning curves ------------------------------------------------------------------------

  /** One panel per task and metric (accuracy, bits per byte) of the sweeps, a curve per run. */
  private Optional<ReportModel.Curves> curves() {
    if (sweeps.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < sweeps.size(); i++) {
      SweepLocator.Series sr = sweeps.get(i);
      if (!sr.unfinished().isEmpty()) {
        notes.add(
            sweepLabels.get(i)
                + ": step folder(s) without results.json (unfinished or failed), left out: "
                + String.join(", ", sr.unfinished()));
      }
    }
    List<ReportModel.CurvePanel> panels = new ArrayList<>();
    for (String t : curveTasks(acc, false)) {
      curvePanel(t, acc, true).ifPresent(panels::add);
    }
    for (String t : curveTasks(BPB, true)) {
      curvePanel(t, BPB, false).ifPresent(panels::add);
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (ReportModel.CurvePanel p : panels) {
      for (ReportModel.Curve c : p.curves()) {
        for (double x : c.x()) {
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
      }
    }
    return Optional.of(
        new ReportModel.Curves(
            xTokens ? "tokens" : "step", SvgLineChart.wantsLog(min, max), sweepLabels, panels));
  }

  /**
   * The sweeps' tasks with {@code key}: groups, then leaves not under one of them (every leaf with
   * {@code allLeaves}, as the bits-per-byte table lists each source).
   */
  private List<String> curveTasks(MetricKey key, boolean allLeaves) {
    Set<String> sweepGroups = new LinkedHashSet<>();
    Set<String> sweepLeaves = new LinkedHashSet<>();
    Set<String> underGroups = new LinkedHashSet<>();
    for (SweepLocator.Series sr : sweeps) {
      for (Run r : sr.points()) {
        for (TaskResult t : r.results().tasks().values()) {
          if (t.value(key).isEmpty()) {
            continue;
          }
          if (groups.contains(t.name())) {
            sweepGroups.add(t.name());
            underGroups.addAll(r.results().leaves(t.name()));
          } else {
            sweepLeaves.add(t.name());
          }
        }
      }
    }
    List<String> rows = new ArrayList<>(sweepGroups);
    for (String l : sweepLeaves) {
      if (allLeaves || !underGroups.contains(l) || sweepGroups.isEmpty()) {
        rows.add(l);
      }
    }
    return rows;
  }

  private Optional<ReportModel.CurvePanel> curvePanel(String task, MetricKey key, boolean percent) {
    List<ReportModel.Curve> curves = new ArrayList<>();
    boolean hib = true;
    for (int i = 0; i < sweeps.size(); i++) {
      List<double[]> pts = new ArrayList<>(); // x, step, value, stderr
      int noTokens = 0;
      for (Run r : sweeps.get(i).points()) {
        Optional<TaskResult> t = r.results().task(task);
        Optional<Double> v = t.flatMap(x -> x.value(key));
        if (v.isEmpty()) {
          continue;
        }
        hib = r.results().higherIsBetter(task, key);
        SweepPosition pos = r.results().sweep().orElseThrow();
        if (xTokens && pos.tokens().isEmpty()) {
          noTokens++;
          continue;
        }
        double x = xTokens ? pos.tokens().getAsLong() : pos.step();
        pts.add(new double[] {x, pos.step(), v.get(), t.get().stderr(key).orElse(Double.NaN)});
      }
      if (noTokens > 0) {
        notes.add(
            sweepLabels.get(i)
                + " · "
                + task
                + ": "
                + noTokens
                + " checkpoint(s) without a token count, left out of the curve against tokens");
      }
      if (pts.isEmpty()) {
        continue;
      }
      double[] x = pts.stream().mapToDouble(a -> a[0]).toArray();
      long[] steps = pts.stream().mapToLong(a -> (long) a[1]).toArray();
      double[] v = pts.stream().mapToDouble(a -> a[2]).toArray();
      double[] se = pts.stream().mapToDouble(a -> a[3]).toArray();
      curves.add(new ReportModel.Curve(sweepLabels.get(i), i, x, steps, v, se));
    }
    if (curves.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ReportModel.CurvePanel(task, key.display(), percent, hib, curves));
  }

  // ---- accuracy -------------------------------------------------------------------------------

  private Optional<ReportModel.MetricPanel> accuracyPanel() {
    Set<String> underGroups = new LinkedHashSet<>();
    for (Run r : runs) {
      for (String g : groups) {
        r.results().task(g).ifPresent(t -> underGroups.addAll(r.results().leaves(g)));
      }
    }
    List<String> rows = new ArrayList<>();
    for (String g : groups) {
      if (anyHas(g, acc)) {
        rows.add(g);
      }
    }
    for (String t : leaves) {
      if (anyHas(t, acc) && (!underGroups.contains(t) || rows.isEmpty())) {
        rows.add(t);
      }
    }
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(panel("Accuracy (" + acc.display() + ") per run, 95% CI", acc, rows, true));
  }

  private Optional<ReportModel.MetricPanel> subjectsPanel() {
    List<String> rows = new ArrayList<>();
    for (String t : leaves) {
      if (anyHas(t, acc)) {
        rows.add(t);
      }
    }
    if (rows.size() < 2) {
      return Optional.empty();
    }
    return Optional.of(panel("Accuracy (" + acc.display() + ") per subject", acc, rows, true));
  }

  private Optional<ReportModel.MetricPanel> bitsPerBytePanel() {
    List<String> rows = new ArrayList<>();
    for (String t : leaves) {
      if (anyHas(t, BPB)) {
        rows.add(t);
      }
    }
    for (String g : groups) {
      if (anyHas(g, BPB)) {
        rows.add(g);
      }
    }
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        panel("Bits per byte per validation source (lower is better), 95% CI", BPB, rows, false));
  }

  private ReportModel.MetricPanel panel(
      String title, MetricKey key, List<String> rows, boolean proportion) {
    Estimate[][] cells = new Estimate[rows.size()][runs.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < runs.size(); j++) {
        cells[i][j] = estimate(runs.get(j), rows.get(i), key, proportion);
      }
    }
    List<Boolean> isGroup = rows.stream().map(groups::contains).toList();
    boolean hib = runs.getFirst().results().higherIsBetter(rows.getFirst(), key);
    return new ReportModel.MetricPanel(title, key.display(), rows, isGroup, cells, proportion, hib);
  }

  /**
   * The value with a 95% interval: Wilson for a leaf task's accuracy of known size, else ±z·stderr
   * when reported, else a percentile bootstrap over the logged items.
   */
  private Estimate estimate(Run run, String task, MetricKey key, boolean proportion) {
    Optional<TaskResult> t = run.results().task(task);
    Optional<Double> v = t.flatMap(x -> x.value(key));
    if (v.isEmpty()) {
      return Estimate.ABSENT;
    }
    long n = t.get().size().orElse(0);
    if (proportion && n > 0 && !t.get().group()) {
      // a leaf task's accuracy is k right out of n: the Wilson score interval, which does not
      // collapse to a point at 0% or 100% as ±1.96·stderr does on small tasks
      double k = v.get() * n;
      if (Math.abs(k - Math.rint(k)) < 1e-6 * Math.max(1, n)) {
        Estimate w = meanEstimate(Math.rint(k), n);
        return new Estimate(v.get(), w.low(), w.high(), n);
      }
    }
    Optional<Double> se = t.get().stderr(key);
    if (se.isPresent()) {
      double z = UnpairedZTest.criticalValue(ALPHA) * se.get();
      double lo = v.get() - z;
      double hi = v.get() + z;
      if (proportion) {
        lo = Math.max(0, lo);
        hi = Math.min(1, hi);
      }
      return new Estimate(v.get(), lo, hi, n);
    }
    PairedDesigns.Outcome o = PairedDesigns.build(run, run, task, key);
    if (o.design().isPresent()) {
      double[] ci =
          PairedBootstrap.interval(
              o.design().get(),
              resamples,
              ALPHA,
              PairedBootstrap.seedFor(seed, run.label() + "|" + task + "|" + key.key()));
      return new Estimate(v.get(), ci[0], ci[1], n);
    }
    notes.add(
        run.label()
            + " · "
            + task
            + " · "
            + key.display()
            + ": no interval (no stderr; "
            + o.reason()
            + ")");
    return new Estimate(v.get(), Double.NaN, Double.NaN, n);
  }

  private boolean anyHas(String task, MetricKey key) {
    return runs.stream()
        .anyMatch(r -> r.results().task(task).flatMap(t -> t.value(key)).isPresent());
  }

  // ---- contamination --------------------------------------------------------------------------

  private Optional<ReportModel.ContaminationPanel> contaminationPanel() {
    if (decontams.isEmpty()) {
      return Optional.empty();
    }
    List<String> rows = new ArrayList<>();
    for (String g : groups) {
      if (decontamCovers(g)) {
        rows.add(g);
      }
    }
    Set<String> covered = new TreeSet<>();
    decontams.forEach(d -> covered.addAll(d.dirty().keySet()));
    for (String t : leaves) {
      if (covered.remove(t)) {
        rows.add(t);
      }
    }
    rows.addAll(covered); // tasks the runs did not evaluate
    long[][] dirty = new long[rows.size()][decontams.size()];
    long[][] total = new long[rows.size()][decontams.size()];
    long[][] suspects = new long[rows.size()][decontams.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int c = 0; c < decontams.size(); c++) {
        CorpusLabels d = decontams.get(c);
        long nd = 0;
        long nt = 0;
        long ns = 0;
        boolean any = false;
        boolean anyPara = false;
        for (String leaf : leavesOf(rows.get(i))) {
          var m = d.dirty().get(leaf);
          if (m != null) {
            any = true;
            nt += m.size();
            nd += m.values().stream().filter(b -> b).count();
          }
          if (d.labels().hasParaphrase(leaf)) {
            anyPara = true;
            ns += d.labels().suspects().get(leaf).size();
          }
        }
        dirty[i][c] = any ? nd : -1;
        total[i][c] = nt;
        suspects[i][c] = anyPara ? ns : -1;
      }
    }
    List<String> corpora = decontams.stream().map(CorpusLabels::label).toList();
    return Optional.of(new ReportModel.ContaminationPanel(corpora, rows, dirty, total, suspects));
  }

  private boolean decontamCovers(String task) {
    return leavesOf(task).stream()
        .anyMatch(l -> decontams.stream().anyMatch(d -> d.dirty().containsKey(l)));
  }

  private List<String> leavesOf(String task) {
    for (Run r : runs) {
      if (r.results().task(task).isPresent()) {
        return r.results().leaves(task);
      }
    }
    return List.of(task);
  }

  private Optional<ReportModel.CleanDirtyPanel> cleanDirtyPanel(CorpusLabels d) {
    List<String> rows = new ArrayList<>();
    for (String g : groups) {
      if (decontamCovers(g) && anyHas(g, acc)) {
        rows.add(g);
      }
    }
    for (String t : leaves) {
      if (d.dirty().containsKey(t) && anyHas(t, acc)) {
        rows.add(t);
      }
    }
    if (rows.isEmpty()) {
      notes.add(d.label() + ": the decontamination report covers none of the runs' accuracy tasks");
      return Optional.empty();
    }
    Estimate[][] clean = new Estimate[rows.size()][runs.size()];
    Estimate[][] dirty = new Estimate[rows.size()][runs.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < runs.size(); j++) {
        CleanDirty cd = cleanDirty(runs.get(j), rows.get(i), d);
        clean[i][j] = cd.clean();
        dirty[i][j] = cd.dirty();
      }
    }
    return Optional.of(new ReportModel.CleanDirtyPanel(d.label(), rows, clean, dirty));
  }

  /** Accuracy on the clean and on the dirty items of one task. */
  private record CleanDirty(Estimate clean, Estimate dirty) {
    static final CleanDirty ABSENT = new CleanDirty(Estimate.ABSENT, Estimate.ABSENT);
  }

  /** Accuracy on clean and on dirty items from the run's samples (items d lacks count as clean). */
  private CleanDirty cleanDirty(Run run, String task, CorpusLabels d) {
    if (run.results().task(task).isEmpty()) {
      return CleanDirty.ABSENT;
    }
    double cleanSum = 0;
    double dirtySum = 0;
    long cleanN = 0;
    long dirtyN = 0;
    for (String leaf : run.results().leaves(task)) {
      Optional<SortedMap<Integer, SampleItem>> items =
          run.samples(leaf).flatMap(s -> s.items(acc.filter()));
      if (items.isEmpty()) {
        notes.add(
            run.label()
                + " · "
                + task
                + ": no samples_"
                + leaf
                + ".jsonl, so no clean/dirty split against "
                + d.label());
        return CleanDirty.ABSENT;
      }
      if (d.labels().covers(leaf)) {
        Map<Integer, String> evaluated = new LinkedHashMap<>();
        items
            .get()
            .values()
            .forEach(it -> evaluated.put(it.docId(), it.contentHash().orElse(null)));
        d.labels()
            .mismatch(leaf, evaluated, false)
            .ifPresent(
                m -> {
                  throw new ResultsFormatException(
                      "--decontam " + d.label() + " applied to " + run.label() + ": " + m);
                });
      }
      for (SampleItem it : items.get().values()) {
        Double value = it.scalars().get(acc.name());
        if (value == null) {
          continue;
        }
        if (d.isNotClean(leaf, it.docId()).orElse(false)) {
          dirtySum += value;
          dirtyN++;
        } else {
          cleanSum += value;
          cleanN++;
        }
      }
    }
    return new CleanDirty(meanEstimate(cleanSum, cleanN), meanEstimate(dirtySum, dirtyN));
  }

  /**
   * A proportion of {@code sum} right out of {@code n} with the Wilson score 95% interval, which
   * stays informative for small subsets and proportions near 0 or 1 (where the normal interval
   * collapses to a point).
   */
  static Estimate meanEstimate(double sum, long n) {
    if (n == 0) {
      return new Estimate(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double p = sum / n;
    long successes = Math.round(sum);
    if (Math.abs(sum - successes) > 1e-9 || n > Integer.MAX_VALUE) {
      return new Estimate(p, Double.NaN, Double.NaN, n);
    }
    ConfidenceInterval ci =
        new WilsonScoreInterval().createInterval((int) n, (int) successes, 1 - ALPHA);
    return new Estimate(p, ci.getLowerBound(), ci.getUpperBound(), n);
  }

  /** Without --decontam: the clean/dirty columns the runs themselves report, if any. */
  private Optional<ReportModel.CleanDirtyPanel> reportedCleanDirtyPanel() {
    List<String> rows = new ArrayList<>();
    for (String t : groups) {
      if (anyHas(t, ACC_CLEAN)) {
        rows.add(t);
      }
    }
    for (String t : leaves) {
      if (anyHas(t, ACC_CLEAN)) {
        rows.add(t);
      }
    }
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Estimate[][] clean = new Estimate[rows.size()][runs.size()];
    Estimate[][] dirty = new Estimate[rows.size()][runs.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < runs.size(); j++) {
        Run r = runs.get(j);
        String task = rows.get(i);
        Optional<TaskResult> t = r.results().task(task);
        clean[i][j] = withCount(estimate(r, task, ACC_CLEAN, true), t, "n_clean");
        dirty[i][j] = withCount(estimate(r, task, ACC_DIRTY, true), t, "n_dirty");
      }
    }
    return Optional.of(
        new ReportModel.CleanDirtyPanel("as reported by evalh run --decontam", rows, clean, dirty));
  }

  private static Estimate withCount(Estimate e, Optional<TaskResult> t, String field) {
    long n = t.map(x -> x.counts().getOrDefault(field, 0L)).orElse(0L);
    return new Estimate(e.value(), e.low(), e.high(), n);
  }

  // ---- items ----------------------------------------------------------------------------------

  private List<ReportModel.ItemRow> items() {
    List<ReportModel.ItemRow> out = new ArrayList<>();
    for (String leaf : leaves) {
      List<Optional<SortedMap<Integer, SampleItem>>> perRun = new ArrayList<>();
      int withSamples = 0;
      for (Run r : runs) {
        Optional<SortedMap<Integer, SampleItem>> items =
            r.results().task(leaf).isPresent()
                ? r.samples(leaf).flatMap(s -> s.items(acc.filter()))
                : Optional.empty();
        perRun.add(items);
        if (items.isPresent()) {
          withSamples++;
        }
      }
      if (withSamples == 0) {
        continue;
      }
      SortedMap<Integer, SampleItem> any = new TreeMap<>();
      for (var m : perRun) {
        m.ifPresent(x -> x.forEach((id, item) -> any.putIfAbsent(id, item)));
      }
      int disagreements = 0;
      int dirtyShown = 0;
      for (var e : any.entrySet()) {
        int id = e.getKey();
        double[] correct = new double[runs.size()];
        double first = Double.NaN;
        boolean differ = false;
        for (int j = 0; j < runs.size(); j++) {
          Double value =
              perRun
                  .get(j)
                  .map(m -> m.get(id))
                  .map(it -> it.scalars().get(acc.name()))
                  .orElse(null);
          correct[j] = value == null ? Double.NaN : value;
          if (value != null) {
            if (Double.isNaN(first)) {
              first = value;
            } else if (value != first) {
              differ = true;
            }
          }
        }
        List<String> dirtyIn = new ArrayList<>();
        for (CorpusLabels d : decontams) {
          if (d.isDirty(leaf, id).orElse(false)) {
            dirtyIn.add(d.label());
          }
        }
        String why = null;
        if (differ && withSamples > 1 && disagreements < maxItems) {
          disagreements++;
          why = "runs disagree";
        } else if (!dirtyIn.isEmpty() && dirtyShown < maxItems) {
          dirtyShown++;
          why = "";
        }
        if (why != null) {
          SampleItem item = e.getValue();
          out.add(
              new ReportModel.ItemRow(
                  leaf, id, item.question(), item.target(), correct, dirtyIn, why));
        }
      }
    }
    return out;
  }
}
