package evalh.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.engine.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code evalh run} over the checkpoints of a sweep in one JVM: the tasks are resolved and their
 * data read once, every checkpoint is scored in step order into {@code <output>/<run>/<step>/}
 * (each a complete run directory, locked while it is written, with its own request cache), under
 * one progress bar over checkpoints x requests.
 *
 * <p>Resuming: a checkpoint whose results.json records the checkpoint fingerprint the engine
 * computes now and the same {@link #settings} is skipped; one killed half-way resumes from its
 * request cache. A checkpoint that fails (cannot be loaded, non-finite scores) is reported, its
 * fresh folder removed, and the sweep goes on; the exit code is then 1.
 */
final class SweepRun {
  /** The checkpoint fingerprint the engine would report, without loading the weights. */
  @FunctionalInterface
  interface Fingerprints {
    String of(Path checkpoint);

    /** The engine's: {@link Checkpoint#fingerprint()}. */
    static Fingerprints engine() {
      return dir -> {
        try (Checkpoint c = Checkpoint.open(dir)) {
          return c.fingerprint();
        }
      };
    }
  }

  /** What happened to each checkpoint. */
  record Summary(int scored, int skipped, List<String> failed) {}

  private SweepRun() {}

  /**
   * What besides the checkpoint decides a sweep point's results: tasks, few-shot, limit, engine
   * options, data, description style, decontamination labels, samples logging.
   */
  static String settings(EvaluationRun.Options o) {
    return RequestCache.key(
        "evalh-sweep-v1",
        "tasks=" + o.taskSpec(),
        "fewshot=" + o.numFewshot(),
        "limit=" + o.limit(),
        "engine=" + o.engine(),
        "data=" + o.dataRoot(),
        "includes=" + o.includes(),
        "style=" + o.descriptionStyle(),
        "decontam=" + o.decontam(),
        "samples=" + o.logSamples());
  }

  static Summary run(
      EvaluationRun.Options base,
      List<Sweep.Point> points,
      EvaluationRun.EvaluatorFactory factory,
      Fingerprints fingerprints,
      PrintWriter out,
      PrintWriter err) {
    EvaluationRun.Prepared prepared = EvaluationRun.prepare(base, err);
    String settings = settings(base);
    long perPoint = EvaluationRun.uniqueRequests(prepared);
    List<Point> results = new ArrayList<>();
    err.printf(
        Locale.ROOT,
        "evalh: sweep of %d checkpoint(s) x %d request(s) into %s%n",
        points.size(),
        perPoint,
        base.output());
    try (OutputStore.Lock lock = lockOutput(base);
        ScoringProgress bar =
            ScoringProgress.start(
                "sweep: " + points.size() + " checkpoints",
                perPoint * points.size(),
                base.progressBar())) {
      for (int i = 0; i < points.size(); i++) {
        Sweep.Point p = points.get(i);
        results.add(
            runPoint(
                base,
                prepared,
                settings,
                p,
                head(i, points.size(), p),
                factory,
                fingerprints,
                bar,
                perPoint,
                out,
                err));
      }
    }
    return summarize(base.store().describe(base.output()), results, out);
  }

  /**
   * The sweep on a cluster ({@code evalh run --engine NAME}): the tasks and their data are checked
   * here first (a bad task or data file fails before the cluster starts), the output directory is
   * locked as by a local sweep, then {@code engine} scores one unit per checkpoint ({@link
   * SweepUnits#score}: the local sweep's {@link #runPoint} on an executor) and each unit's console
   * output is printed here in step order.
   */
  static Summary runOn(
      SweepEngine engine,
      String master,
      EvaluationRun.Options base,
      List<Sweep.Point> points,
      PrintWriter out,
      PrintWriter err) {
    EvaluationRun.Prepared prepared = EvaluationRun.prepare(base, err);
    String settings = settings(base);
    long perPoint = EvaluationRun.uniqueRequests(prepared);
    err.printf(
        Locale.ROOT,
        "evalh: sweep of %d checkpoint(s) x %d request(s) into %s, one %s task per checkpoint%n",
        points.size(),
        perPoint,
        base.store().describe(base.output()),
        engine.name());
    err.flush();
    List<Point> results = new ArrayList<>();
    OutputStore.Lock lock = lockOutput(base);
    boolean done = false;
    try {
      SweepUnits.Job job = SweepUnits.job(base, settings, perPoint, points);
      List<SweepUnits.Outcome> outcomes = engine.run(master, job, err);
      if (outcomes.size() != points.size()) {
        throw new IllegalStateException(
            "the "
                + engine.name()
                + " engine returned "
                + outcomes.size()
                + " outcomes for "
                + points.size()
                + " checkpoints");
      }
      for (SweepUnits.Outcome o : outcomes) {
        out.print(o.out());
        err.print(o.err());
        results.add(new Point(o.status(), o.message()));
      }
      done = true;
    } finally {
      lock.close();
      if (!done && onlyLockFiles(base.store(), base.output())) {
        lock.removeCreated(); // the engine could not start: a fresh output goes again
      }
    }
    return summarize(base.store().describe(base.output()), results, out);
  }

  /** The sweep's lock on its whole output directory. */
  private static OutputStore.Lock lockOutput(EvaluationRun.Options base) {
    return base.store()
        .lock(
            base.output().resolve(OutputLock.FILE),
            "output directory " + base.store().describe(base.output()));
  }

  /** Whether {@code dir} holds no file but lock files (no unit wrote anything). */
  private static boolean onlyLockFiles(OutputStore store, Path dir) {
    try {
      return store.allFiles(dir).stream()
          .allMatch(p -> p.getFileName().toString().equals(OutputLock.FILE));
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  private static Summary summarize(String output, List<Point> results, PrintWriter out) {
    int scored = 0;
    int skipped = 0;
    List<String> failed = new ArrayList<>();
    for (Point r : results) {
      switch (r.status()) {
        case SCORED -> scored++;
        case SKIPPED -> skipped++;
        case FAILED -> failed.add(r.message());
      }
    }
    out.printf(
        Locale.ROOT,
        "sweep %s: %d checkpoint(s): %d scored, %d skipped (done already), %d failed%n",
        output,
        results.size(),
        scored,
        skipped,
        failed.size());
    for (String f : failed) {
      out.println("  failed: " + f);
    }
    out.flush();
    return new Summary(scored, skipped, List.copyOf(failed));
  }

  /**
   * One checkpoint's outcome.
   *
   * @param message for {@link SweepUnits.Status#FAILED}: the checkpoint and why
   */
  record Point(SweepUnits.Status status, String message) {}

  /** {@code [i/n] run@step (dir)}: how a sweep names its i-th checkpoint (0-based). */
  static String head(int i, int n, Sweep.Point p) {
    return String.format(Locale.ROOT, "[%d/%d] %s (%s)", i + 1, n, p.label(), p.checkpoint());
  }

  /**
   * Scores one checkpoint of a sweep into {@code <output>/<run>/<step>/}, or skips it when its
   * results.json has its fingerprint and {@code settings}: what the local sweep does for each
   * checkpoint, and what a distributed sweep's task does for its one ({@link SweepUnits}). A
   * checkpoint that fails with a {@link RuntimeException} (cannot be loaded, non-finite scores) is
   * reported on {@code err} and returned as {@link SweepUnits.Status#FAILED}; errors propagate.
   */
  static Point runPoint(
      EvaluationRun.Options base,
      EvaluationRun.Prepared prepared,
      String settings,
      Sweep.Point p,
      String head,
      EvaluationRun.EvaluatorFactory factory,
      Fingerprints fingerprints,
      ScoringProgress bar,
      long perPoint,
      PrintWriter out,
      PrintWriter err) {
    Path dir = p.folder(base.output());
    try {
      String fp = fingerprints.of(p.checkpoint());
      if (finished(base.store(), dir, fp, settings)) {
        err.println("evalh: " + head + ": done already (same fingerprint), skipped");
        bar.step(perPoint);
        return new Point(SweepUnits.Status.SKIPPED, null);
      }
      out.println(head);
      EvaluationRun.Options o =
          new EvaluationRun.Options(
              base.taskSpec(),
              p.checkpoint().toString(),
              base.numFewshot(),
              base.limit(),
              base.engine(),
              dir,
              base.store(),
              base.logSamples(),
              base.dataRoot(),
              base.includes(),
              base.descriptionStyle(),
              base.decontam(),
              base.cacheFile() == null ? null : dir.resolve("cache/requests.jsonl"),
              base.llBatch(),
              base.rollingBatch(),
              base.progressBar(),
              base.commandLine());
      EvaluationRun.Outcome done =
          EvaluationRun.runOne(
              o,
              prepared.selection(),
              prepared,
              factory,
              new EvaluationRun.SweepPlace(p, settings, fp),
              bar,
              out,
              err);
      if (done == null) {
        err.println("evalh: " + head + ": done meanwhile by another attempt, skipped");
        bar.step(perPoint);
        return new Point(SweepUnits.Status.SKIPPED, null);
      }
      return new Point(SweepUnits.Status.SCORED, null);
    } catch (RuntimeException e) {
      String why = head + ": " + e.getMessage();
      err.println("evalh: error: " + why + " (skipped; the sweep goes on)");
      return new Point(SweepUnits.Status.FAILED, why);
    }
  }

  /** Whether {@code dir}'s results.json is this checkpoint's, under the same settings. */
  static boolean finished(OutputStore store, Path dir, String fingerprint, String settings) {
    Path results = dir.resolve("results.json");
    JsonNode r;
    try {
      if (!store.isFile(results)) {
        return false;
      }
      r = ResultsReport.JSON.readTree(store.read(results));
    } catch (IOException e) {
      return false; // unreadable: scored again (its request cache makes that cheap)
    }
    return fingerprint.equals(r.path("evalh").path("checkpoint_fingerprint").asText(null))
        && settings.equals(r.path("evalh").path("sweep").path("settings").asText(null));
  }
}
