package evalh.harness.run;

import evalh.engine.scoring.EngineOptions;
import evalh.engine.scoring.LoglikelihoodEngine;
import evalh.engine.tokenizer.SharedTokenizers;
import evalh.harness.cli.ModelOptions;
import evalh.harness.cli.ScoringOptions;
import evalh.tasks.data.DataRoot;
import evalh.tasks.prompt.DescriptionStyle;
import evalh.tasks.registry.GroupSpec;
import evalh.tasks.registry.TaskRegistry;
import evalh.tasks.registry.TaskSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evalh run}: lm-eval compatible scoring of MMLU and perplexity tasks. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Score a checkpoint on tasks or groups of the YAML task registry as lm-evaluation-harness"
          + " would, and write results.json and samples_<task>.jsonl.",
      "Scored requests are cached on disk as they finish: after an interruption (even kill -9),"
          + " run the same command again and it resumes where it stopped.",
      "",
      "Sweeps: --ckpt 'ckpts/anneal-*/step-*' (a quoted glob), --ckpt RUN_DIR (its step"
          + " folders) or --ckpt-list FILE score every checkpoint in step order in one JVM into"
          + " <output>/<run>/<step>/, with \"step\" and \"tokens\" in each results.json.",
      "",
      "Sweeps on a cluster: --engine spark --master URL scores one checkpoint (with all its"
          + " tasks) per Spark task, into the same <output>/<run>/<step>/ as a local sweep, with"
          + " the same bytes (timing fields aside); checkpoints, data and --output must be on"
          + " storage every executor mounts at the same path, or --output on HDFS"
          + " (hdfs://namenode:port/path). --batch-tokens auto is resolved once on the driver.",
      "",
      "Example: evalh run --task mmlu-science --ckpt demo"
    })
public final class RunCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-t", "--task"},
      paramLabel = "NAMES",
      description =
          "Comma-separated tasks and groups, e.g. mmlu-science,paloma-c4_en (see --list-tasks).")
  String task;

  @Mixin ModelOptions model;

  @Mixin ScoringOptions scoring;

  @Option(
      names = "--num-fewshot",
      paramLabel = "N",
      description =
          "Few-shot examples per prompt (first N of the dev split, lm-eval's first_n); default: the task's (0 for MMLU).")
  Integer numFewshot;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description =
          "Evaluate only the first N items (documents for perplexity tasks) of each task.")
  Integer limit;

  @Option(
      names = "--batch-size",
      paramLabel = "N|auto",
      defaultValue = "auto",
      description =
          "Sequences per forward batch, as lm-eval's --batch-size N (each batch padded to its"
              + " longest row; an out-of-memory batch is split). auto: a token budget sized from"
              + " the free memory. Default: ${DEFAULT-VALUE}.")
  String batchSize;

  @Option(
      names = "--rolling-prefix",
      paramLabel = "bos|eos",
      defaultValue = "bos",
      description =
          "Token that starts the first rolling window of perplexity tasks: bos (lm-eval HFLM) or eos (Paloma). Default: ${DEFAULT-VALUE}.")
  String rollingPrefix;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description =
          "Run directory for results.json, samples_<task>.jsonl and the request cache. Default: reports/<checkpoint>_<tasks>.")
  String output;

  @Option(
      names = "--log-samples",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Write samples_<task>.jsonl (lm-eval --log_samples schema). Default: ${DEFAULT-VALUE}.")
  boolean logSamples;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Local datasets, laid out as huggingface-cli download --local-dir DIR/<repo> leaves them. Default: $EVALH_DATA, else ./data (--ckpt demo: the bundled sample data).")
  Path dataDir;

  @Option(
      names = "--sample-data",
      description = "Use the bundled sample data (16 mmlu-science subjects, 3 test items each).")
  boolean sampleData;

  @Option(
      names = "--include-path",
      paramLabel = "DIR",
      description = "Also load the task YAML files (*.yaml) of DIR; repeatable.")
  List<Path> includes = new ArrayList<>();

  @Option(
      names = "--description-style",
      paramLabel = "default|legacy",
      defaultValue = "default",
      description =
          "legacy reproduces lm-eval 0.4.2-0.4.3, whose jinja rendering dropped one trailing newline of the description (single \\n before the first question). Default: ${DEFAULT-VALUE}.")
  String descriptionStyle;

  @Option(
      names = "--decontam",
      paramLabel = "FILE",
      description =
          "decontam.json of evalh decontam: also report every metric over clean (_decontaminate) and dirty (_dirty) items.")
  Path decontam;

  @Option(
      names = "--cache",
      paramLabel = "FILE",
      description = "Request cache file. Default: <output>/cache/requests.jsonl.")
  Path cache;

  @Option(names = "--no-cache", description = "Keep scores in memory only (no resume).")
  boolean noCache;

  @Option(
      names = "--cache-batch",
      paramLabel = "N",
      defaultValue = "256",
      description =
          "Requests per engine call and per cache append (a kill loses at most one such batch). Default: ${DEFAULT-VALUE}.")
  int cacheBatch;

  @Option(
      names = "--progress",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Show a progress bar when standard output is a terminal. Default: ${DEFAULT-VALUE}.")
  boolean progress;

  @CommandLine.Mixin SweepOptions sweep = new SweepOptions();

  @Option(
      names = "--engine",
      paramLabel = "local|spark",
      defaultValue = "local",
      description =
          "Where a sweep's checkpoints are scored: local (default: one after the other in this"
              + " JVM) or spark (one Spark task per checkpoint, each loading its checkpoint once"
              + " and scoring all the tasks with the same engine; a task whose executor died is"
              + " retried and resumes from the checkpoint's request cache). Needs Spark on the"
              + " class path: ./evalh adds it, or spark-submit cli/target/evalh-spark-job.jar."
              + " Relative paths are resolved here; --output may be file:///... (a shared mount)"
              + " or hdfs://namenode:port/path.")
  String engine;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "With --engine spark: local[N], spark://host:7077, yarn or k8s://https://host:port"
              + " (default: spark-submit's, else local[*]). On GPU executors each task uses the GPU"
              + " Spark assigns it (spark.task.resource.gpu.amount=1; README, 'Scoring on a Spark"
              + " cluster').")
  String master;

  @Option(
      names = "--list-tasks",
      description = "List the tasks and groups of the registry and exit.")
  boolean listTasks;

  /** null: the engine, with a sweep's tokenizers shared. */
  private final EvaluationRun.EvaluatorFactory factory;

  private final SweepRun.Fingerprints fingerprints;

  public RunCommand() {
    this(null, SweepRun.Fingerprints.engine());
  }

  RunCommand(EvaluationRun.EvaluatorFactory factory) {
    this(factory, SweepRun.Fingerprints.engine());
  }

  RunCommand(EvaluationRun.EvaluatorFactory factory, SweepRun.Fingerprints fingerprints) {
    this.factory = factory;
    this.fingerprints = fingerprints;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (listTasks) {
      list(out);
      return 0;
    }
    String ckpt = model.checkpointOrNull();
    if (sweep.ckptList != null && ckpt != null) {
      throw usage("--ckpt and --ckpt-list exclude each other");
    }
    if (task == null || (ckpt == null && sweep.ckptList == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "evalh run needs --task and --ckpt (or --list-tasks)");
    }
    if (sweep.tokensPerStep != null && sweep.tokensPerStep < 1) {
      throw usage("--tokens-per-step must be >= 1, got " + sweep.tokensPerStep);
    }
    boolean sweeping = sweep.ckptList != null || Sweep.isSweep(ckpt);
    boolean local = "local".equals(engine);
    if (local && master != null) {
      throw usage("--master applies to --engine spark");
    }
    if (!local && !sweeping) {
      throw usage(
          "--engine "
              + engine
              + " spreads the checkpoints of a sweep (a glob, a run directory or --ckpt-list);"
              + " score a single checkpoint with the local engine");
    }
    SweepEngine elsewhere = local ? null : sweepEngine(engine);
    OutputStore store = OutputStore.local();
    Path outPath = output == null ? null : Path.of(output);
    if (local && output != null && output.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      if (!output.regionMatches(true, 0, "file:", 0, 5)) {
        throw usage(
            "--output "
                + output
                + ": the local engine writes to this machine's file system; an output on HDFS"
                + " needs --engine spark (a plain path or file:///... here)");
      }
      outPath =
          Path.of(java.net.URI.create(output.replaceFirst("^[Ff][Ii][Ll][Ee]:/+", "file:///")));
    }
    if (!local) {
      if (output != null) {
        Shared shared = sharedOutput(output, elsewhere);
        outPath = shared.path();
        store = shared.store();
      }
      includes = includes.stream().map(p -> p.toAbsolutePath().normalize()).toList();
      decontam = decontam == null ? null : decontam.toAbsolutePath().normalize();
    }
    if (sweeping && cache != null) {
      throw usage("--cache names one file; a sweep keeps a cache per checkpoint (drop --cache)");
    }
    if (!sweeping && sweep.tokensPerStep != null) {
      throw usage("--tokens-per-step applies to a sweep (a glob, a run directory or --ckpt-list)");
    }
    List<Sweep.Point> points = null;
    if (sweeping) {
      try {
        points = Sweep.discover(ckpt, sweep.ckptList, sweep.tokensPerStep);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }
    if (limit != null && limit < 1) {
      throw usage("--limit must be >= 1");
    }
    if (numFewshot != null && numFewshot < 0) {
      throw usage("--num-fewshot must be >= 0");
    }
    if (cacheBatch < 1) {
      throw usage("--cache-batch must be >= 1");
    }
    EngineOptions eo =
        model
            .engineOptions(scoring)
            .withBatchSequences(batchSequences())
            .withRollingPrefix(rollingPrefix());
    Path out0 = outPath != null ? outPath : Path.of("reports", defaultName());
    if (!local) {
      out0 = out0.toAbsolutePath().normalize();
    }
    if (isFile(store, out0)) {
      throw usage(
          "--output "
              + store.describe(out0)
              + " is an existing file, not a directory; give a new or existing directory");
    }
    Path cacheFile =
        noCache ? null : (cache != null ? cache : out0.resolve("cache/requests.jsonl"));
    Map<String, Object> cl = new LinkedHashMap<>();
    cl.put("task", task);
    cl.put("ckpt", ckpt);
    if (sweep.ckptList != null) {
      cl.put("ckpt_list", sweep.ckptList.toString());
    }
    cl.put("num_fewshot", numFewshot);
    cl.put("limit", limit);
    EvaluationRun.Options o =
        new EvaluationRun.Options(
            task,
            sweeping ? null : ckpt,
            numFewshot,
            limit == null ? -1 : limit,
            eo,
            out0,
            store,
            logSamples,
            local ? dataRoot() : absolute(dataRoot()),
            includes,
            style(),
            decontam,
            cacheFile,
            cacheBatch,
            Math.max(1, cacheBatch / 16),
            progress,
            cl);
    if (!local) {
      SweepRun.Summary s = SweepRun.runOn(elsewhere, master, o, points, out, err);
      return s.failed().isEmpty() ? 0 : 1;
    }
    try (SharedTokenizers tokenizers = new SharedTokenizers()) {
      EvaluationRun.EvaluatorFactory f =
          factory != null ? factory : (c, opts) -> LoglikelihoodEngine.open(c, opts, tokenizers);
      if (points == null) {
        EvaluationRun.run(o, f, out, err);
        return 0;
      }
      SweepRun.Summary s = SweepRun.run(o, points, f, fingerprints, out, err);
      return s.failed().isEmpty() ? 0 : 1;
    }
  }

  /**
   * {@code --engine NAME}'s implementation, found with {@link ServiceLoader}; none: a usage error
   * naming those there are.
   */
  private SweepEngine sweepEngine(String name) {
    List<String> known = new ArrayList<>();
    for (SweepEngine e : ServiceLoader.load(SweepEngine.class)) {
      if (e.name().equals(name)) {
        return e;
      }
      known.add(e.name());
    }
    throw usage(
        "--engine "
            + name
            + ": no such engine in this build (available: local"
            + (known.isEmpty() ? "" : ", " + String.join(", ", known))
            + ")");
  }

  /** {@code --output} for a cluster: where it is, in which store. */
  private record Shared(Path path, OutputStore store) {}

  private static boolean isFile(OutputStore store, Path p) {
    try {
      return store.isFile(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot look up " + store.describe(p), e);
    }
  }

  /**
   * {@code --output} for a cluster: a plain path or {@code file:} URI is the path it names,
   * absolute, on this machine's file system (a shared mount); another scheme ({@code hdfs://}) is
   * the engine's {@link SweepEngine#store} or refused.
   */
  private Shared sharedOutput(String given, SweepEngine engine) {
    if (given.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      if (given.regionMatches(true, 0, "file:", 0, 5)) {
        return new Shared(
            Path.of(java.net.URI.create(given.replaceFirst("^[Ff][Ii][Ll][Ee]:/+", "file:///"))),
            OutputStore.local());
      }
      java.net.URI uri;
      try {
        uri = new java.net.URI(given);
      } catch (java.net.URISyntaxException e) {
        throw usage("--output " + given + ": not a URI (" + e.getMessage() + ")");
      }
      OutputStore store = engine.store(uri);
      if (store == null) {
        throw usage(
            "--output "
                + given
                + ": the "
                + engine.name()
                + " engine cannot write there (results are written with atomic renames and"
                + " locks); give a directory every executor mounts at the same path (a plain path,"
                + " or file:///...)");
      }
      String path = uri.getPath();
      if (path == null || !path.startsWith("/")) {
        throw usage(
            "--output " + given + ": give an absolute path (" + uri.getScheme() + "://host/path)");
      }
      return new Shared(Path.of(path).normalize(), store);
    }
    return new Shared(Path.of(given).toAbsolutePath().normalize(), OutputStore.local());
  }

  /** The data folder as every executor must find it (the bundled sample data: in its own jar). */
  private static DataRoot absolute(DataRoot d) {
    return d.sample() ? d : DataRoot.of(d.path().toAbsolutePath().normalize());
  }

  private DataRoot dataRoot() {
    if (sampleData) {
      if (dataDir != null) {
        throw usage("--sample-data and --data-dir exclude each other");
      }
      return DataRoot.bundledSample();
    }
    if (dataDir != null) {
      return DataRoot.of(dataDir);
    }
    DataRoot env = DataRoot.fromEnvironment();
    if (env != null) {
      return env;
    }
    return "demo".equals(model.checkpointOrNull())
        ? DataRoot.bundledSample()
        : DataRoot.of(Path.of("data"));
  }

  private String defaultName() {
    String ckpt = model.checkpointOrNull();
    String c;
    if (sweep.ckptList != null) {
      c = sweep.ckptList.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    } else if (ckpt.equals("demo")) {
      c = "demo";
    } else if (Sweep.isSweep(ckpt) && ckpt.chars().anyMatch(ch -> "*?[{".indexOf(ch) >= 0)) {
      c = "sweep";
    } else {
      c = Path.of(ckpt).toAbsolutePath().normalize().getFileName().toString();
    }
    String name = c + "_" + task.replace(',', '+');
    return name.replaceAll("[^A-Za-z0-9._+-]", "_");
  }

  /** {@code --batch-size N}: sequences per batch; 0 for auto. */
  private int batchSequences() {
    if ("auto".equals(batchSize)) {
      return 0;
    }
    int n;
    try {
      n = Integer.parseInt(batchSize);
    } catch (NumberFormatException e) {
      throw usage("--batch-size must be a positive integer or auto, got '" + batchSize + "'");
    }
    if (n < 1) {
      throw usage("--batch-size must be >= 1 or auto");
    }
    return n;
  }

  private EngineOptions.RollingPrefix rollingPrefix() {
    return switch (rollingPrefix.toLowerCase(Locale.ROOT)) {
      case "bos" -> EngineOptions.RollingPrefix.BOS;
      case "eos" -> EngineOptions.RollingPrefix.EOS;
      default -> throw usage("--rolling-prefix must be bos or eos, got '" + rollingPrefix + "'");
    };
  }

  private DescriptionStyle style() {
    return switch (descriptionStyle.toLowerCase(Locale.ROOT)) {
      case "default" -> DescriptionStyle.DEFAULT;
      case "legacy" -> DescriptionStyle.LEGACY;
      default ->
          throw usage(
              "--description-style must be default or legacy, got '" + descriptionStyle + "'");
    };
  }

  private CommandLine.ParameterException usage(String msg) {
    return new CommandLine.ParameterException(spec.commandLine(), msg);
  }

  private void list(PrintWriter out) {
    TaskRegistry r =
        includes.isEmpty() ? TaskRegistry.bundled() : TaskRegistry.withIncludes(includes);
    out.println("Groups:");
    for (GroupSpec g : r.groups().values()) {
      out.printf(Locale.ROOT, "  %-28s %3d tasks%n", g.name(), r.leaves(g.name()).size());
    }
    out.println("Tasks:");
    for (TaskSpec t : r.tasks().values()) {
      out.printf(
          Locale.ROOT,
          "  %-44s %s, %s%n",
          t.name(),
          t.outputType().yamlName(),
          String.join(" ", t.metrics()));
    }
  }
}
