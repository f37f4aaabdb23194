package evalh.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.engine.scoring.EngineFingerprint;
import evalh.engine.scoring.EngineOptions;
import evalh.engine.scoring.EngineStats;
import evalh.engine.scoring.Evaluator;
import evalh.tasks.data.DataRoot;
import evalh.tasks.data.Skip;
import evalh.tasks.plan.TaskLoader;
import evalh.tasks.plan.TaskPlan;
import evalh.tasks.prompt.DescriptionStyle;
import evalh.tasks.registry.Selection;
import evalh.tasks.registry.TaskRegistry;
import evalh.tasks.registry.TaskSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code evalh run}: expand the task spec, read every dataset (failing before the model is
 * loaded), score what the request cache lacks, and write {@code results.json}, {@code
 * samples_<task>.jsonl} and the console table.
 */
public final class EvaluationRun {
  /** Opens the model; {@code LoglikelihoodEngine::open} in production. */
  @FunctionalInterface
  public interface EvaluatorFactory {
    Evaluator open(String ckpt, EngineOptions options);
  }

  /**
   * Everything a run needs.
   *
   * @param limit items per task, {@code < 0} for all
   * @param store where {@code output} (and {@code cacheFile}) are: {@link OutputStore#local()} but
   *     for a cluster's shared storage
   * @param cacheFile request cache ({@code null}: none, scores are kept in memory only)
   * @param llBatch loglikelihood requests per engine call (and per cache append)
   * @param rollingBatch documents per engine call (and per cache append)
   */
  public record Options(
      String taskSpec,
      String ckpt,
      Integer numFewshot,
      int limit,
      EngineOptions engine,
      Path output,
      OutputStore store,
      boolean logSamples,
      DataRoot dataRoot,
      List<Path> includes,
      DescriptionStyle descriptionStyle,
      Path decontam,
      Path cacheFile,
      int llBatch,
      int rollingBatch,
      boolean progressBar,
      Map<String, Object> commandLine) {}

  /** What a run produced. */
  public record Outcome(Path results, ObjectNode json) {}

  private EvaluationRun() {}

  /** The tasks of a run with their data read, and the decontamination labels if any. */
  record Loaded(List<TaskPlan> plans, DecontamLabels decontam) {}

  /**
   * What the model answered: per-task scores, the engine's identity and work, the scorer's counts.
   */
  private record Scored(
      Map<String, TaskScores> scores, EngineFingerprint meta, EngineStats stats, Scorer scorer) {}

  /**
   * Runs it. The output directory is locked for the whole run (a second run into it fails at once,
   * naming the holder's pid); nothing is written there but the lock and the request cache until
   * every score is in.
   */
  public static Outcome run(Options o, EvaluatorFactory factory, PrintWriter out, PrintWriter err) {
    Selection sel = registry(o).resolve(o.taskSpec()); // a misspelt task fails before any write
    return runOne(o, sel, null, factory, null, null, out, err);
  }

  /**
   * Where a sweep's checkpoint sits: recorded as results.json's {@code step} and {@code tokens} and
   * its {@code evalh.sweep} section.
   *
   * @param settings {@link SweepRun#settings}: what besides the checkpoint decides the results
   * @param fingerprint the checkpoint's fingerprint: once the folder is locked, a results.json with
   *     it and {@code settings} (another attempt of the same unit finished meanwhile) means there
   *     is nothing to do
   */
  record SweepPlace(Sweep.Point point, String settings, String fingerprint) {}

  /** The tasks resolved and their data read: once for all the checkpoints of a sweep. */
  record Prepared(Selection selection, Loaded loaded) {}

  static Prepared prepare(Options o, PrintWriter err) {
    Selection sel = registry(o).resolve(o.taskSpec());
    return new Prepared(sel, load(o, sel, err));
  }

  static long uniqueRequests(Prepared p) {
    return Scorer.uniqueRequests(p.loaded().plans());
  }

  /**
   * Scores one checkpoint into {@code o.output()}, locked for the whole run.
   *
   * @param loaded the tasks' data, or {@code null} to read it once the output is locked
   * @param place the sweep point, or {@code null} for a single run
   * @param bar a sweep's progress bar, or {@code null} for the run's own bars
   * @return what it wrote, or null for a sweep point that another attempt finished while this one
   *     waited for the folder's lock
   */
  static Outcome runOne(
      Options o,
      Selection sel,
      Prepared loaded,
      EvaluatorFactory factory,
      SweepPlace place,
      ScoringProgress bar,
      PrintWriter out,
      PrintWriter err) {
    long t0 = System.nanoTime();
    boolean done = false;
    OutputStore.Lock lock =
        o.store().lock(o.output().resolve(OutputLock.FILE), "output directory " + describe(o));
    try {
      if (place != null
          && SweepRun.finished(o.store(), o.output(), place.fingerprint(), place.settings())) {
        done = true;
        return null;
      }
      removeTemps(o, err);
      Loaded in = loaded != null ? loaded.loaded() : load(o, sel, err);
      noteDemo(o, out, false);
      Scored scored = score(o, factory, in.plans(), bar, err);
      ResultsReport report = new ResultsReport(sel, scored.scores(), in.decontam());
      ObjectNode json = report.build(config(o, scored.meta()));
      if (place != null) {
        json.put("step", place.point().step());
        if (place.point().tokens() != null) {
          json.put("tokens", place.point().tokens());
        }
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      json.set(
          "evalh",
          ResultsReport.JSON.valueToTree(
              evalhSection(o, scored, json.path("configs"), wall, place)));
      Path results = write(o, report, scored, json);
      printSummary(o, report, scored, results, wall, out);
      done = true;
      return new Outcome(results, json);
    } finally {
      lock.close();
      if (!done) {
        lock.removeCreated(); // a fresh directory the failed run created goes again
      }
    }
  }

  private static String describe(Options o) {
    return o.store().describe(o.output());
  }

  /**
   * Deletes the temporary files a killed run left in the output directory and beside its request
   * cache when that is inside it ({@link OutputStore#isTemp}: under the lock, nothing else writes
   * them); a resumed run says so.
   */
  private static void removeTemps(Options o, PrintWriter err) {
    List<Path> dirs = new ArrayList<>();
    dirs.add(o.output());
    if (o.cacheFile() != null
        && o.cacheFile().getParent().startsWith(o.output())
        && !o.cacheFile().getParent().equals(o.output())) {
      dirs.add(o.cacheFile().getParent());
    }
    for (Path d : dirs) {
      try {
        for (Path t : o.store().removeTemps(d)) {
          err.println(
              "evalh: removed "
                  + o.store().describe(t)
                  + ", left by a killed run into this folder");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + o.store().describe(d), e);
      }
    }
  }

  private static TaskRegistry registry(Options o) {
    return o.includes().isEmpty()
        ? TaskRegistry.bundled()
        : TaskRegistry.withIncludes(o.includes());
  }

  /** Reads every task's data (failing on bad data before the model is loaded). */
  private static Loaded load(Options o, Selection sel, PrintWriter err) {
    DecontamLabels decontam = o.decontam() == null ? null : DecontamLabels.read(o.decontam());
    TaskLoader loader =
        new TaskLoader(o.dataRoot(), o.numFewshot(), o.limit(), o.descriptionStyle());
    List<TaskPlan> plans = new ArrayList<>();
    for (TaskSpec t : sel.tasks()) {
      TaskPlan p = loader.load(t);
      plans.add(p);
      warnSkips(p, err);
      if (decontam != null) {
        decontam.verify(p, o.limit() >= 0);
      }
      if (decontam != null && !decontam.covers(t.name())) {
        err.printf(
            Locale.ROOT,
            "evalh: warning: %s is not in %s; its %d items count as clean%n",
            t.name(),
            decontam.file(),
            p.size());
      }
    }
    return new Loaded(plans, decontam);
  }

  private static void warnSkips(TaskPlan p, PrintWriter err) {
    if (!p.skips().isEmpty()) {
      err.printf(
          Locale.ROOT,
          "evalh: warning: %s: skipped %d item(s) of bad data, e.g. %s: %s%n",
          p.spec().name(),
          p.skips().size(),
          p.skips().get(0).location(),
          p.skips().get(0).reason());
    }
  }

  private static void noteDemo(Options o, PrintWriter out, boolean after) {
    if (!"demo".equals(o.ckpt())) {
      return;
    }
    out.println(
        after
            ? "NOTE: the demo model is random; these scores are at chance level by design."
            : "NOTE: --ckpt demo is a tiny randomly initialised model"
                + (o.dataRoot().sample() ? " scored on evalh's bundled sample questions" : "")
                + ": its scores are at chance (about 25% on 4-choice MMLU) and only show that the"
                + " pipeline works.");
  }

  /** Opens the model and the request cache and scores every request the cache lacks. */
  private static Scored score(
      Options o,
      EvaluatorFactory factory,
      List<TaskPlan> plans,
      ScoringProgress bar,
      PrintWriter err) {
    Map<String, TaskScores> scores = new LinkedHashMap<>();
    try (Evaluator ev = factory.open(o.ckpt(), o.engine());
        RequestCache cache =
            o.cacheFile() == null
                ? RequestCache.inMemory()
                : RequestCache.open(o.store(), o.cacheFile())) {
      String scope = ev.fingerprint().cacheScope();
      reportResume(cache, err);
      Scorer scorer = new Scorer(ev, cache, scope, o.llBatch(), o.rollingBatch(), o.progressBar());
      if (bar != null) {
        scorer.shareProgress(bar);
      }
      scorer.scoreAll(plans);
      for (TaskPlan p : plans) {
        scores.put(p.spec().name(), TaskScores.of(p, scorer));
      }
      return new Scored(scores, ev.fingerprint(), ev.stats(), scorer);
    }
  }

  private static void reportResume(RequestCache cache, PrintWriter err) {
    if (cache.dropped() > 0) {
      err.printf(
          Locale.ROOT,
          "evalh: resuming: dropped %d incomplete line(s) of %s%n",
          cache.dropped(),
          cache.file());
    }
    if (cache.size() > 0) {
      err.printf(
          Locale.ROOT,
          "evalh: resuming with %d cached answers from %s%n",
          cache.size(),
          cache.file());
    }
  }

  /**
   * Moves results.json and samples files of another run or tool to {@code superseded/<time>/},
   * writes the samples, then results.json, then moves samples files this run did not write (left by
   * an earlier run into the same directory) to {@code superseded/<time>/}, so that nothing next to
   * results.json looks current that is not. Every samples line and results.json record the
   * checkpoint fingerprint and the task's config hash: a reader pairs only files that agree.
   */
  private static Path write(Options o, ResultsReport report, Scored scored, ObjectNode json) {
    try {
      Set<String> written = new HashSet<>();
      JsonNode hashes = json.path("evalh").path("task_hashes");
      String fingerprint = scored.meta().checkpointFingerprint();
      Map<String, String> taskHashes = new java.util.LinkedHashMap<>();
      hashes.properties().forEach(e -> taskHashes.put(e.getKey(), e.getValue().asText()));
      StaleOutputs.moveForeign(o.store(), o.output(), fingerprint, taskHashes);
      if (o.logSamples()) {
        for (TaskScores s : scored.scores().values()) {
          String task = s.plan.spec().name();
          String file = "samples_" + task + ".jsonl";
          SamplesWriter.Provenance prov =
              new SamplesWriter.Provenance(fingerprint, hashes.path(task).asText());
          SamplesWriter.write(o.store(), o.output().resolve(file), s, report.dirtyMask(task), prov);
          written.add(file);
        }
      }
      Path results = o.output().resolve("results.json");
      o.store()
          .write(
              results,
              os -> {
                ResultsReport.JSON.writerWithDefaultPrettyPrinter().writeValue(os, json);
                os.write('\n');
              });
      StaleOutputs.moveAside(o.store(), o.output(), written);
      return results;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results to " + describe(o), e);
    }
  }

  private static void printSummary(
      Options o, ResultsReport report, Scored scored, Path results, double wall, PrintWriter out) {
    Scorer scorer = scored.scorer();
    out.print(ConsoleTable.render(report, scored.scores()));
    out.printf(
        Locale.ROOT,
        "%s: %d unique requests, %d answered from the cache, %d scored now (%d tokens) in"
            + " %.1f s%n",
        o.store().describe(results),
        scorer.uniqueRequests(),
        scorer.cacheHits(),
        scorer.scoredRequests(),
        scorer.scoredTokens(),
        wall);
    noteDemo(o, out, true);
    out.flush();
  }

  /**
   * Per task, a SHA-256 over what decides its requests and metrics (its config as in results.json,
   * few-shot count, limit, description style and data files): recorded in results.json and in every
   * samples line, so that samples are paired with the results beside them only when both come from
   * one run.
   */
  private static Map<String, String> taskHashes(
      Options o, Map<String, TaskScores> scores, JsonNode configs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (TaskScores s : scores.values()) {
      TaskSpec t = s.plan.spec();
      out.put(
          t.name(),
          RequestCache.key(
              "evalh-task-v1",
              configs.path(t.name()).toString(),
              "fewshot=" + s.plan.numFewshot(),
              "limit=" + o.limit(),
              "style=" + o.descriptionStyle(),
              "data=" + s.plan.sources()));
    }
    return out;
  }

  /** lm-eval's {@code batch_size}: N (sequences) or "auto"; a token budget is said as such. */
  private static Object batchSizeConfig(EngineOptions e) {
    if (e.batchSequences() > 0) {
      return e.batchTokens() > 0
          ? e.batchSequences() + " (at most " + e.batchTokens() + " tokens)"
          : e.batchSequences();
    }
    return e.batchTokens() <= 0 ? "auto" : e.batchTokens() + " tokens";
  }

  private static Map<String, Object> config(Options o, EngineFingerprint meta) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("model", "evalh");
    c.put(
        "model_args",
        "pretrained="
            + o.ckpt()
            + ",dtype="
            + meta.dtype()
            + ",add_bos_token="
            + meta.addBos()
            + ",max_length="
            + meta.maxLength());
    c.put("batch_size", batchSizeConfig(o.engine()));
    c.put("device", meta.device());
    c.put("use_cache", o.cacheFile() != null);
    c.put("limit", o.limit() < 0 ? null : o.limit());
    c.put("num_fewshot", o.numFewshot());
    c.put("bootstrap_iters", 0);
    c.put("description_style", o.descriptionStyle().name().toLowerCase(Locale.ROOT));
    c.put("data_dir", o.dataRoot().sample() ? "bundled sample" : o.dataRoot().path().toString());
    c.put("decontam", o.decontam() == null ? null : o.decontam().toString());
    c.put("command_line", o.commandLine());
    return c;
  }

  private static Map<String, Object> evalhSection(
      Options o, Scored scored, JsonNode configs, double wall, SweepPlace place) {
    EngineFingerprint meta = scored.meta();
    EngineStats stats = scored.stats();
    Map<String, TaskScores> scores = scored.scores();
    Scorer scorer = scored.scorer();
    Map<String, Object> e = new LinkedHashMap<>();
    String v = EvaluationRun.class.getPackage().getImplementationVersion();
    e.put("version", v == null ? "dev" : v);
    e.put("checkpoint", o.ckpt());
    e.put("checkpoint_fingerprint", meta.checkpointFingerprint());
    e.put("device", meta.device());
    e.put("dtype", meta.dtype());
    e.put("demo", "demo".equals(o.ckpt()));
    long tokens = 0;
    int requests = 0;
    for (TaskScores s : scores.values()) {
      tokens += s.scoredTokens;
      requests +=
          s.plan instanceof TaskPlan.Choice c
              ? c.prompts().stream().mapToInt(p -> p.continuations().size()).sum()
              : s.plan.size();
    }
    e.put("tokens_scored", tokens);
    e.put("requests", requests);
    Map<String, Object> engine = meta.toMap();
    if (stats.batchSequences() > 0) {
      engine.put("batch_size", stats.batchSequences());
    }
    engine.put("batch_tokens_auto", stats.batchTokensAuto());
    if (!stats.batchTokensAuto()) {
      engine.put("batch_tokens", EngineStats.budgetOrNull(stats.batchTokens()));
    }
    // Run-dependent: what this process did, and a budget sized from its free memory.
    Map<String, Object> thisRun = new LinkedHashMap<>();
    thisRun.put("tokens_scored", stats.tokensScored());
    thisRun.put("forward_tokens", stats.forwardTokens());
    thisRun.put("padded_tokens", stats.paddedTokens());
    thisRun.put("padding_waste", stats.paddingWaste());
    thisRun.put("checkpoint_dir", meta.checkpointDir());
    thisRun.put("batch_tokens_after_oom", EngineStats.budgetOrNull(stats.batchTokensAfterOom()));
    thisRun.put("oom_budget_cuts", stats.oomBudgetCuts());
    if (stats.batchTokensAuto()) {
      thisRun.put("batch_tokens", stats.batchTokens());
    }
    e.put("engine", engine);
    Map<String, Object> skipped = new LinkedHashMap<>();
    for (TaskScores s : scores.values()) {
      List<Skip> sk = s.plan.skips();
      if (!sk.isEmpty()) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("count", sk.size());
        t.put(
            "items",
            sk.stream().map(x -> Map.of("location", x.location(), "reason", x.reason())).toList());
        skipped.put(s.plan.spec().name(), t);
      }
    }
    e.put("skipped", skipped);
    Map<String, Object> sources = new LinkedHashMap<>();
    for (TaskScores s : scores.values()) {
      sources.put(s.plan.spec().name(), s.plan.sources());
    }
    e.put("data_files", sources);
    e.put("task_hashes", taskHashes(o, scores, configs));
    if (place != null) {
      Map<String, Object> sw = new LinkedHashMap<>();
      sw.put("run", place.point().run());
      sw.put("step", place.point().step());
      sw.put("tokens", place.point().tokens());
      sw.put("tokens_source", place.point().tokensSource());
      sw.put("settings", place.settings());
      e.put("sweep", sw);
    }
    // Run-dependent fields (timings and what this process did); everything above is identical
    // for a fresh and a resumed run.
    e.put("wall_seconds", wall);
    // throughput of the model in this process: forward tokens (inputs, not only continuations)
    double forward = stats.forwardTokens() > 0 ? stats.forwardTokens() : scorer.scoredTokens();
    e.put("tokens_per_second", wall > 0 ? forward / wall : 0.0);
    if (o.cacheFile() != null) {
      thisRun.put("cache_file", o.cacheFile().toString());
    }
    thisRun.put("requests_scored", scorer.scoredRequests());
    thisRun.put("cache_hits", scorer.cacheHits());
    thisRun.put("date", java.time.Instant.now().toString());
    e.put("this_run", thisRun);
    return e;
  }
}
