package evalh.reporting.diff;

import evalh.reporting.results.MetricKey;
import evalh.reporting.results.Run;
import evalh.reporting.results.TaskResult;
import evalh.reporting.stats.FisherExactTest;
import evalh.reporting.stats.McNemarTest;
import evalh.reporting.stats.PairedBootstrap;
import evalh.reporting.stats.UnpairedZTest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Compares every metric of every task and group of a candidate run with a baseline run: paired on
 * per-item samples when both runs logged them (McNemar for 0/1 metrics, else the paired bootstrap
 * over items or documents); unpaired otherwise: Fisher's exact test on the two binomials of a 0/1
 * metric when the counts are small or a standard error is 0, else the z-test on the reported
 * standard errors.
 */
public final class RunComparator {
  private final DiffOptions options;

  public RunComparator(DiffOptions options) {
    this.options = options;
  }

  /**
   * Compares {@code candidate} against {@code baseline}.
   *
   * @throws IllegalArgumentException when a {@code --metric} selector matches no metric of either
   *     run
   */
  public DiffResult compare(Run baseline, Run candidate) {
    checkSelectors(baseline, candidate);
    List<Supplier<Comparison>> jobs = new ArrayList<>();
    for (String task : orderedTasks(baseline, candidate)) {
      Optional<TaskResult> ta = baseline.results().task(task);
      Optional<TaskResult> tb = candidate.results().task(task);
      Set<MetricKey> keys = new LinkedHashSet<>();
      ta.ifPresent(t -> keys.addAll(t.metrics().keySet()));
      tb.ifPresent(t -> keys.addAll(t.metrics().keySet()));
      for (MetricKey key : keys.stream().sorted().toList()) {
        if (!selected(key)) {
          continue;
        }
        jobs.add(() -> compareOne(baseline, candidate, task, key));
      }
    }
    // Each comparison has its own seed, so running them in parallel changes no number.
    List<Comparison> rows = jobs.parallelStream().map(Supplier::get).toList();
    return new DiffResult(baseline.label(), candidate.label(), rows, options);
  }

  private Comparison compareOne(Run a, Run b, String task, MetricKey key) {
    Optional<TaskResult> ta = a.results().task(task);
    Optional<TaskResult> tb = b.results().task(task);
    boolean group =
        ta.map(TaskResult::group).orElseGet(() -> tb.map(TaskResult::group).orElse(false));
    Run directionSource = ta.isPresent() ? a : b;
    boolean hib = directionSource.results().higherIsBetter(task, key);
    double va = ta.flatMap(t -> t.value(key)).orElse(Double.NaN);
    double vb = tb.flatMap(t -> t.value(key)).orElse(Double.NaN);
    if (Double.isNaN(vb) && !Double.isNaN(va)) {
      String what = tb.isEmpty() ? "task missing in candidate" : "metric missing in candidate";
      return Comparison.untested(task, group, key, hib, va, vb, what, Verdict.MISSING);
    }
    if (Double.isNaN(va)) {
      String what = ta.isEmpty() ? "task not in baseline" : "metric not in baseline";
      return Comparison.untested(task, group, key, hib, va, vb, what, Verdict.NEW);
    }
    Comparison c = test(a, b, task, key, group, hib, va, vb);
    return c.withVerdict(options.gate().judge(c));
  }

  private Comparison test(
      Run a, Run b, String task, MetricKey key, boolean group, boolean hib, double va, double vb) {
    double alpha = options.gate().alpha();
    PairedDesigns.Outcome paired = PairedDesigns.build(a, b, task, key);
    if (paired.design().isPresent()) {
      long seed = PairedBootstrap.seedFor(options.seed(), task + "|" + key.key());
      PairedBootstrap.Result boot =
          PairedBootstrap.compare(paired.design().get(), options.resamples(), alpha, seed);
      String unit = group ? "items, stratified by subtask" : "items";
      if (key.name().contains("perplexity") || key.name().contains("bits_per_byte")) {
        unit = group ? "documents, stratified by subtask" : "documents";
      }
      String ciDetail = "CI: paired bootstrap, " + options.resamples() + " resamples of " + unit;
      if (paired.binary()) {
        McNemarTest.Result m = McNemarTest.test(paired.discordant()[0], paired.discordant()[1]);
        return new Comparison(
            task,
            group,
            key,
            hib,
            va,
            vb,
            boot.ciLow(),
            boot.ciHigh(),
            m.pValue(),
            m.exact() ? TestMethod.MCNEMAR_EXACT : TestMethod.MCNEMAR_CHI2,
            m.describe() + "; " + ciDetail,
            "",
            Verdict.SAME);
      }
      return new Comparison(
          task,
          group,
          key,
          hib,
          va,
          vb,
          boot.ciLow(),
          boot.ciHigh(),
          boot.pValue(),
          TestMethod.PAIRED_BOOTSTRAP,
          "paired bootstrap p and CI, " + options.resamples() + " resamples of " + unit,
          "",
          Verdict.SAME);
    }
    Optional<Double> sa = a.results().task(task).flatMap(t -> t.stderr(key));
    Optional<Double> sb = b.results().task(task).flatMap(t -> t.stderr(key));
    String why = "not paired: " + paired.reason();
    Optional<BinomialCounts> ca = BinomialCounts.of(a.results(), task, key);
    Optional<BinomialCounts> cb = BinomialCounts.of(b.results(), task, key);
    if (ca.isPresent()
        && cb.isPresent()
        && (sa.isEmpty()
            || sb.isEmpty()
            || sa.get() == 0
            || sb.get() == 0
            || BinomialCounts.small(ca.get(), cb.get()))) {
      BinomialCounts x = ca.get();
      BinomialCounts y = cb.get();
      FisherExactTest.Result f = FisherExactTest.test(x.k(), x.n(), y.k(), y.n(), alpha);
      return new Comparison(
          task,
          group,
          key,
          hib,
          va,
          vb,
          f.ciLow(),
          f.ciHigh(),
          f.pValue(),
          TestMethod.FISHER_EXACT,
          String.format(
              java.util.Locale.ROOT,
              "Fisher exact on %d/%d vs %d/%d (small counts or a zero stderr); CI: Newcombe"
                  + " score interval",
              x.k(),
              x.n(),
              y.k(),
              y.n()),
          why,
          Verdict.SAME);
    }
    if (sa.isPresent() && sb.isPresent()) {
      UnpairedZTest.Result z = UnpairedZTest.test(va, sa.get(), vb, sb.get(), alpha);
      return new Comparison(
          task,
          group,
          key,
          hib,
          va,
          vb,
          z.ciLow(),
          z.ciHigh(),
          z.pValue(),
          TestMethod.Z_TEST,
          String.format(java.util.Locale.ROOT, "z = %.3f from reported stderr", z.z()),
          why,
          Verdict.SAME);
    }
    return Comparison.untested(
        task, group, key, hib, va, vb, why + "; no stderr reported", Verdict.SAME);
  }

  private boolean selected(MetricKey key) {
    if (options.metrics().isEmpty()) {
      return true;
    }
    return options.metrics().stream().anyMatch(key::matches);
  }

  private void checkSelectors(Run a, Run b) {
    Set<MetricKey> all = new LinkedHashSet<>();
    for (Run r : List.of(a, b)) {
      r.results().tasks().values().forEach(t -> all.addAll(t.metrics().keySet()));
    }
    for (String sel : options.metrics()) {
      if (all.stream().noneMatch(k -> k.matches(sel))) {
        throw new IllegalArgumentException(
            "--metric "
                + sel
                + ": no such metric in either run (available: "
                + String.join(
                    ", ", all.stream().sorted().map(MetricKey::display).distinct().toList())
                + ")");
      }
    }
  }

  /** Groups first, then tasks, each in the baseline's order, then the candidate's new ones. */
  static List<String> orderedTasks(Run a, Run b) {
    Set<String> groups = new LinkedHashSet<>();
    Set<String> tasks = new LinkedHashSet<>();
    for (Run r : List.of(a, b)) {
      for (TaskResult t : r.results().tasks().values()) {
        (t.group() ? groups : tasks).add(t.name());
      }
    }
    tasks.removeAll(groups);
    List<String> out = new ArrayList<>(groups);
    out.addAll(tasks);
    return out;
  }
}
