package evalh.harness.run;

import evalh.engine.scoring.EngineOptions;
import evalh.engine.scoring.LoglikelihoodEngine;
import evalh.engine.tokenizer.SharedTokenizers;
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
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

  @Option(
      names = "--ckpt",
      paramLabel = "DIR",
      description =
          "HF checkpoint directory (config.json, *.safetensors, tokenizer.json), or 'demo' for the bundled tiny random model.")
  String ckpt;

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
      names = "--no-prefix-cache",
      description =
          "Score every request in full instead of running shared few-shot prefixes once and reusing their keys/values.")
  boolean noPrefixCache;

  @Option(
      names = "--batch-tokens",
      paramLabel = "N",
      description =
          "Token budget of one forward batch (padded tokens), instead of auto; with --batch-size N,"
              + " a batch holds at most N sequences and at most this many tokens.")
  Integer batchTokens;

  @Option(
      names = "--max-length",
      paramLabel = "N",
      description =
          "Context window (>= 1) for left truncation and rolling windows. Default: the checkpoint's max_position_embeddings.")
  Integer maxLength;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto, cpu, cuda or cuda:N. Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(
      names = "--dtype",
      defaultValue = "auto",
      description =
          "Compute dtype: auto, float32, bfloat16 or float16 (auto: float32 on CPU, the stored"
              + " dtype on CUDA). Default: ${DEFAULT-VALUE}.")
  String dtype;

  @Option(
      names = "--runtime",
      defaultValue = "auto",
      description =
          "Tensor runtime: torch (libtorch >= 2.10 through its stable C ABI), djl (DJL's PyTorch"
              + " 2.7.1), or auto (torch for bfloat16, --device cuda[:N] or a named libtorch,"
              + " else djl)."
              + " Default: ${DEFAULT-VALUE}.")
  String runtime;

  @Option(
      names = "--torch",
      paramLabel = "DIR|bundled",
      description =
          "libtorch for the torch runtime: a torch package or libtorch lib/ folder, or 'bundled'."
              + " Default: $EVALH_TORCH, else python3's torch >= 2.10, else the bundled CPU build.")
  String torch;

  @Option(
      names = "--add-bos",
      paramLabel = "auto|true|false",
      defaultValue = "auto",
      description =
          "Prepend BOS to every request: auto follows the tokenizer (lm-eval >= 0.4.9.2). Default: ${DEFAULT-VALUE}.")
  String addBos;

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
  Path output;

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
    if (maxLength != null && maxLength < 1) {
      throw usage(
          "--max-length must be >= 1, got "
              + maxLength
              + " (omit it to use the checkpoint's max_position_embeddings)");
    }
    EngineOptions eo =
        EngineOptions.defaults()
            .withRuntime(runtime, torch)
            .withDevice(device)
            .withDtype(dtype)
            .withMaxLength(maxLength == null ? 0 : maxLength)
            .withBatchTokens(batchTokens())
            .withBatchSequences(batchSequences())
            .withAddBos(addBos())
            .withRollingPrefix(rollingPrefix())
            .withSharePrefixes(!noPrefixCache);
    Path out0 = output != null ? output : Path.of("reports", defaultName());
    if (java.nio.file.Files.exists(out0) && !java.nio.file.Files.isDirectory(out0)) {
      throw usage(
          "--output "
              + out0
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
            logSamples,
            dataRoot(),
            includes,
            style(),
            decontam,
            cacheFile,
            cacheBatch,
            Math.max(1, cacheBatch / 16),
            progress,
            cl);
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
    return "demo".equals(ckpt) ? DataRoot.bundledSample() : DataRoot.of(Path.of("data"));
  }

  private String defaultName() {
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

  /** {@code --batch-tokens}, or 0: none (with {@code --batch-size N}) or sized from free memory. */
  private int batchTokens() {
    if (batchTokens == null) {
      return 0;
    }
    if (batchTokens < 1) {
      throw usage("--batch-tokens must be >= 1");
    }
    return batchTokens;
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

  private Boolean addBos() {
    return switch (addBos.toLowerCase(Locale.ROOT)) {
      case "auto" -> null;
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw usage("--add-bos must be auto, true or false, got '" + addBos + "'");
    };
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
