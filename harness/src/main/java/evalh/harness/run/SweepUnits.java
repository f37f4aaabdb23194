package evalh.harness.run;

import evalh.engine.scoring.EngineOptions;
import evalh.engine.scoring.LoglikelihoodEngine;
import evalh.engine.tokenizer.SharedTokenizers;
import evalh.tasks.data.DataRoot;
import evalh.tasks.prompt.DescriptionStyle;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep cut into units for a {@link SweepEngine}: one unit per checkpoint, with all the sweep's
 * tasks, which is the local sweep's unit of work and of batching (the engine batches the requests
 * of all tasks of a checkpoint together), so a unit's results.json and samples are the bytes a
 * local sweep writes, by construction: {@link #score} is {@link SweepRun#runPoint}.
 *
 * <p>Everything here is {@link Serializable} with plain values (strings, numbers, {@link
 * EngineOptions}, the {@link OutputStore}): paths travel as absolute strings, so they must name the
 * same files on every worker (a shared mount, or the output's HDFS); the bundled sample data is
 * found again in the worker's own class path.
 */
public final class SweepUnits {
  private SweepUnits() {}

  /** What became of a unit. */
  public enum Status {
    SCORED,
    SKIPPED,
    FAILED
  }

  /**
   * The options of {@code evalh run} that every unit shares ({@link EvaluationRun.Options} less the
   * checkpoint, with paths as strings).
   *
   * @param dataDir the data folder, or null for the bundled sample data
   */
  public record Options(
      String taskSpec,
      Integer numFewshot,
      int limit,
      EngineOptions engine,
      String output,
      OutputStore store,
      boolean logSamples,
      String dataDir,
      List<String> includes,
      DescriptionStyle descriptionStyle,
      String decontam,
      boolean cache,
      int llBatch,
      int rollingBatch,
      Map<String, Object> commandLine)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    static Options of(EvaluationRun.Options o) {
      return new Options(
          o.taskSpec(),
          o.numFewshot(),
          o.limit(),
          o.engine(),
          o.output().toString(),
          o.store(),
          o.logSamples(),
          o.dataRoot().sample() ? null : o.dataRoot().path().toString(),
          o.includes().stream().map(Path::toString).toList(),
          o.descriptionStyle(),
          o.decontam() == null ? null : o.decontam().toString(),
          o.cacheFile() != null,
          o.llBatch(),
          o.rollingBatch(),
          new LinkedHashMap<>(o.commandLine()));
    }

    Options withEngine(EngineOptions e) {
      return new Options(
          taskSpec,
          numFewshot,
          limit,
          e,
          output,
          store,
          logSamples,
          dataDir,
          includes,
          descriptionStyle,
          decontam,
          cache,
          llBatch,
          rollingBatch,
          commandLine);
    }

    /** The sweep's base options on this worker (no progress bar: the driver reports units). */
    EvaluationRun.Options toRun() {
      Path out = Path.of(output);
      return new EvaluationRun.Options(
          taskSpec,
          null,
          numFewshot,
          limit,
          engine,
          out,
          store,
          logSamples,
          dataDir == null ? DataRoot.bundledSample() : DataRoot.of(Path.of(dataDir)),
          includes.stream().map(Path::of).toList(),
          descriptionStyle,
          decontam == null ? null : Path.of(decontam),
          cache ? out.resolve("cache/requests.jsonl") : null,
          llBatch,
          rollingBatch,
          false,
          commandLine);
    }
  }

  /** One checkpoint of the sweep ({@link Sweep.Point} with the path as a string). */
  public record Unit(String run, long step, Long tokens, String tokensSource, String checkpoint)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    Sweep.Point point() {
      return new Sweep.Point(run, step, tokens, tokensSource, Path.of(checkpoint));
    }

    /** {@code run@step}. */
    public String label() {
      return run + "@" + step;
    }
  }

  /**
   * A whole sweep.
   *
   * @param settings {@link SweepRun#settings} as the driver computed it: recorded in every
   *     results.json and compared when a finished checkpoint is skipped
   * @param requests unique requests per checkpoint
   */
  public record Job(Options options, String settings, long requests, List<Unit> units)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Whether each unit would size its token budget from its machine's free memory. */
    public boolean autoBatchTokens() {
      return options.engine().batchTokens() <= 0 && options.engine().batchSequences() <= 0;
    }

    /**
     * This job with {@code --batch-tokens n} in place of {@code auto}: every unit batches with the
     * same budget, and the settings recorded are those of a local sweep with {@code --batch-tokens
     * n} (which then writes the same bytes).
     */
    public Job withBatchTokens(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("a token budget must be >= 1, got " + n);
      }
      Options o = options.withEngine(options.engine().withBatchTokens(n));
      return new Job(o, SweepRun.settings(o.toRun()), requests, units);
    }
  }

  /**
   * A unit's outcome.
   *
   * @param message for {@link Status#FAILED}: the checkpoint and why
   * @param out what the unit printed on standard output (its console table)
   * @param err what it printed on standard error
   */
  public record Outcome(String label, Status status, String message, String out, String err)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  static Job job(EvaluationRun.Options base, String settings, long requests, List<Sweep.Point> ps) {
    return new Job(
        Options.of(base),
        settings,
        requests,
        ps.stream()
            .map(
                p ->
                    new Unit(
                        p.run(),
                        p.step(),
                        p.tokens(),
                        p.tokensSource(),
                        p.checkpoint().toAbsolutePath().toString()))
            .toList());
  }

  /**
   * Scores unit {@code index} of {@code job} in this JVM, exactly as the local sweep scores that
   * checkpoint ({@link SweepRun#runPoint}): skipped when its results.json has its fingerprint and
   * the job's settings, else scored into {@code <output>/<run>/<step>/} under that folder's lock,
   * resuming from its request cache, with results.json and the samples written atomically. Safe to
   * repeat after a worker died mid-unit: the repeat resumes from the cache and writes the same
   * bytes (timing fields aside). A checkpoint that fails (cannot be loaded, non-finite scores) is
   * {@link Status#FAILED}, not an exception, so that a cluster does not retry it; errors (out of
   * memory) propagate.
   *
   * @param device the device this unit must use ({@code cuda:N}, the GPU the cluster assigned it),
   *     or null for the sweep's {@code --device}; it decides where the model runs, not the settings
   *     recorded
   */
  public static Outcome score(Job job, int index, String device) {
    Unit u = job.units().get(index);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    Sweep.Point p = u.point();
    String head = SweepRun.head(index, job.units().size(), p);
    EvaluationRun.Options base = job.options().toRun();
    SweepRun.Point r;
    try (SharedTokenizers tokenizers = new SharedTokenizers();
        ScoringProgress none = ScoringProgress.start(head, 0, false)) {
      EvaluationRun.EvaluatorFactory f =
          (c, opts) ->
              LoglikelihoodEngine.open(
                  c, device == null ? opts : opts.withDevice(device), tokenizers);
      EvaluationRun.Prepared prepared;
      try {
        // the driver read the same data and printed its warnings already
        prepared = EvaluationRun.prepare(base, new PrintWriter(new StringWriter()));
      } catch (RuntimeException x) {
        String why = head + ": " + x.getMessage();
        e.println("evalh: error: " + why + " (skipped; the sweep goes on)");
        return new Outcome(u.label(), Status.FAILED, why, out.toString(), err.toString());
      }
      r =
          SweepRun.runPoint(
              base,
              prepared,
              job.settings(),
              p,
              head,
              f,
              SweepRun.Fingerprints.engine(),
              none,
              job.requests(),
              o,
              e);
    }
    o.flush();
    e.flush();
    return new Outcome(u.label(), r.status(), r.message(), out.toString(), err.toString());
  }
}
