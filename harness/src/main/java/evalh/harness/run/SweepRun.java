package evalh.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.engine.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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
    int scored = 0;
    int skipped = 0;
    List<String> failed = new ArrayList<>();
    err.printf(
        Locale.ROOT,
        "evalh: sweep of %d checkpoint(s) x %d request(s) into %s%n",
        points.size(),
        perPoint,
        base.output());
    try (OutputLock lock = OutputLock.acquireDirectory(base.output());
        ScoringProgress bar =
            ScoringProgress.start(
                "sweep: " + points.size() + " checkpoints",
                perPoint * points.size(),
                base.progressBar())) {
      for (int i = 0; i < points.size(); i++) {
        Sweep.Point p = points.get(i);
        Path dir = p.folder(base.output());
        String head =
            String.format(
                Locale.ROOT, "[%d/%d] %s (%s)", i + 1, points.size(), p.label(), p.checkpoint());
        try {
          String fp = fingerprints.of(p.checkpoint());
          if (finished(dir, fp, settings)) {
            err.println("evalh: " + head + ": done already (same fingerprint), skipped");
            bar.step(perPoint);
            skipped++;
            continue;
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
          EvaluationRun.runOne(
              o,
              prepared.selection(),
              prepared,
              factory,
              new EvaluationRun.SweepPlace(p, settings),
              bar,
              out,
              err);
          scored++;
        } catch (RuntimeException e) {
          String why = head + ": " + e.getMessage();
          err.println("evalh: error: " + why + " (skipped; the sweep goes on)");
          failed.add(why);
        }
      }
    }
    out.printf(
        Locale.ROOT,
        "sweep %s: %d checkpoint(s): %d scored, %d skipped (done already), %d failed%n",
        base.output(),
        points.size(),
        scored,
        skipped,
        failed.size());
    for (String f : failed) {
      out.println("  failed: " + f);
    }
    out.flush();
    return new Summary(scored, skipped, List.copyOf(failed));
  }

  /** Whether {@code dir}'s results.json is this checkpoint's, under the same settings. */
  static boolean finished(Path dir, String fingerprint, String settings) {
    Path results = dir.resolve("results.json");
    if (!Files.isRegularFile(results)) {
      return false;
    }
    JsonNode r;
    try {
      r = ResultsReport.JSON.readTree(results.toFile());
    } catch (IOException e) {
      return false; // unreadable: scored again (its request cache makes that cheap)
    }
    return fingerprint.equals(r.path("evalh").path("checkpoint_fingerprint").asText(null))
        && settings.equals(r.path("evalh").path("sweep").path("settings").asText(null));
  }
}
