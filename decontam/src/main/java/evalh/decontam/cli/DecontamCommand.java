package evalh.decontam.cli;

import evalh.decontam.check.CheckItem;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.paraphrase.ParaphraseChecker;
import evalh.decontam.paraphrase.ParaphraseItem;
import evalh.decontam.report.DecontamReport;
import evalh.decontam.schema.DecontamJson;
import evalh.tasks.BenchmarkItem;
import evalh.tasks.BenchmarkItems;
import evalh.tasks.data.DataRoot;
import evalh.tasks.registry.TaskRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code evalh decontam}: per-item benchmark overlap report against an n-gram index. */
@Command(
    name = "decontam",
    mixinStandardHelpOptions = true,
    header = "Check benchmark items against training corpora (Lucene index or Spark job)",
    description = {
      "Check benchmark items against training corpora; write decontam.json and",
      "decontam.md: per item matched n-grams, coverage, longest run, top",
      "documents with snippets, and the labels dirty (GPT-3/lm-eval), Llama-2",
      "buckets, answer_leak and short. The checked text is the question plus its",
      "choices; the gold answer is checked apart.",
      "Then: evalh run ... --decontam <decontam.json>",
      "--engine spark runs the same check as an Apache Spark job (scan or index)."
    })
public final class DecontamCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--corpus",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "An index directory (from evalh index), a sharded index (a directory holding"
              + " evalh-shards.json, or that file), or raw corpus files/directories/globs: these are"
              + " indexed first under --index-root (an existing index there is reused and extended)."
              + " With --engine spark: corpus paths or URIs on any Hadoop file system"
              + " (hdfs://, s3a://, gs://, file:).")
  List<String> corpus;

  @Option(
      names = "--task",
      paramLabel = "SPEC",
      description =
          "Task or group spec from the task registry (any multiple-choice task), e.g. mmlu-science"
              + " or arc_easy,sciq.")
  String task;

  @Option(
      names = "--items",
      paramLabel = "FILE",
      description =
          "Instead of --task: a JSONL file of items {\"task\",\"doc_id\",\"question\",\"choices\",\"gold\"}.")
  Path itemsFile;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Benchmark data directory (default: $EVALH_DATA, else the bundled sample data, with a"
              + " warning). decontam.json records which (benchmark_data) and each item's"
              + " content_hash; run --decontam and report --decontam refuse labels made for other"
              + " items.")
  Path dataDir;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Report directory (default: reports/decontam-<task>).")
  Path out;

  @Option(
      names = "--index-root",
      paramLabel = "DIR",
      defaultValue = "indexes",
      description = "Where indexes of raw corpus paths are built (default: ${DEFAULT-VALUE}).")
  Path indexRoot;

  @Option(
      names = "--boilerplate-cap",
      paramLabel = "K",
      defaultValue = "10",
      description =
          "n-grams found in more than K documents are ignored for 'dirty' (default: ${DEFAULT-VALUE}).")
  int cap;

  @Option(
      names = "--top-docs",
      paramLabel = "K",
      defaultValue = "3",
      description =
          "Matching documents shown per item with provenance and snippet (default: ${DEFAULT-VALUE}).")
  int topDocs;

  @Option(
      names = "--leak-docs",
      paramLabel = "K",
      defaultValue = "100",
      description =
          "Best matching documents per item searched for the gold answer (default: ${DEFAULT-VALUE}).")
  int leakDocs;

  @Option(
      names = "--no-short-scan",
      description =
          "Do not scan the corpus for exact whole-item matches of items shorter than n tokens (they"
              + " are then reported short and clean).")
  boolean noShortScan;

  @Option(
      names = "--engine",
      paramLabel = "NAME",
      defaultValue = "local",
      description =
          "local (default: a Lucene index on this machine) or spark (a Spark job; see --master,"
              + " --mode). The spark engine needs Spark on the class path: the evalh launcher adds"
              + " it, or run through spark-submit.")
  String engine;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master: local[N], spark://host:port, yarn or k8s://https://host:port (default:"
              + " spark-submit's, else local[*]). A cluster master gets the job jar in spark.jars."
              + " yarn and k8s:// need spark-submit from a Spark distribution (the evalh launcher's"
              + " Spark has no YARN or Kubernetes support; it prints the spark-submit line). Driver"
              + " and executors need Java 25.")
  String master;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "scan",
      description =
          "With --engine spark: scan (item n-grams broadcast, every corpus document scanned, matches"
              + " reduced; default) or index (each partition builds a Lucene shard and publishes it"
              + " to --shards-out with a manifest, then the items are checked against all shards).")
  String mode;

  @Option(
      names = "--shards-out",
      paramLabel = "DIR|URI",
      description =
          "With --mode index: where shards and evalh-shards.json go (any Hadoop file system;"
              + " default: <index-root>/<corpus>-<hash>-shards). Items are checked right away when"
              + " it is local. With a cluster master it must be a URI every executor reaches"
              + " (hdfs://, s3a://, or file:/// on a shared mount); a plain path is refused.")
  String shardsOut;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "With --engine spark: corpus partitions, files grouped by size (default 0: one per"
              + " corpus file for scan, one per core for index; files are never split).")
  int partitions;

  @Option(
      names = "--allow-partial",
      description =
          "Accept an index whose build was interrupted (corpus files still 'started') or corpus"
              + " files that could not be read to the end (a truncated .gz/.zst); the report then"
              + " says partial in its summary and names them. Default: either is an error.")
  boolean allowPartial;

  @Option(
      names = "--paraphrase",
      description =
          "Also run the paraphrase pass: a Lucene window index of the corpus (English analysis;"
              + " built once beside the n-gram index, in <index>/paraphrase; with --engine spark"
              + " the corpus's windows are streamed instead, with the same results) gives each"
              + " item's candidate windows, scored by a rephrase-robust similarity in [0, 1]; an"
              + " item above its task's calibrated threshold is a suspect (not clean for run"
              + " --decontam).")
  boolean paraphrase;

  @Option(
      names = "--paraphrase-threshold",
      paramLabel = "X",
      description =
          "With --paraphrase: call items with a score above X suspects (default: calibrated per"
              + " task from null items at --paraphrase-fpr; the estimated false-positive rate at X"
              + " is still reported).")
  Double paraphraseThreshold;

  @Option(
      names = "--paraphrase-fpr",
      paramLabel = "RATE",
      defaultValue = "0.01",
      description =
          "With --paraphrase: target false-positive rate per item of the calibrated threshold"
              + " (default: ${DEFAULT-VALUE}).")
  double paraphraseFpr;

  @Option(
      names = "--encoder",
      paramLabel = "DIR",
      description =
          "With --paraphrase: a local sentence-transformers checkpoint of the BERT family; each"
              + " candidate window's score becomes (lexical + max(0, cosine)) / 2 of the item's and"
              + " the window's embeddings. Needs the engine's sentence encoder on the class path.")
  Path encoder;

  @Option(
      names = "--encoder-device",
      paramLabel = "DEVICE",
      defaultValue = "cpu",
      description = "With --encoder: cpu, cuda or cuda:N (default: ${DEFAULT-VALUE}).")
  String encoderDevice;

  @Mixin SchemeOptions scheme;

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getOut();
    if ((task == null) == (itemsFile == null)) {
      throw new ParameterException(spec.commandLine(), "give exactly one of --task or --items");
    }
    CheckSettings settings;
    try {
      settings = new CheckSettings(cap, topDocs, leakDocs, !noShortScan, scheme.threads());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (!paraphrase
        && (paraphraseThreshold != null
            || spec.commandLine().getParseResult().hasMatchedOption("--paraphrase-fpr"))) {
      throw new ParameterException(
          spec.commandLine(), "--paraphrase-threshold and --paraphrase-fpr need --paraphrase");
    }
    if (!paraphrase && encoder != null) {
      throw new ParameterException(spec.commandLine(), "--encoder needs --paraphrase");
    }
    DataRoot root = itemsFile != null ? null : BenchmarkItems.resolveRoot(dataDir);
    List<BenchmarkItem> read =
        itemsFile != null
            ? ItemsFile.read(itemsFile)
            : BenchmarkItems.load(TaskRegistry.bundled(), task, root);
    DecontamReport.CheckedData data = checkedData(root, read);
    if (root != null && root.sample()) {
      spec.commandLine()
          .getErr()
          .println(
              "evalh: warning: no --data-dir and no EVALH_DATA: checking the bundled sample items"
                  + " (a few per subject), not the benchmark's test split; decontam.json records"
                  + " benchmark_data.source = "
                  + data.source());
    }
    List<CheckItem> items = new ArrayList<>();
    for (BenchmarkItem i : read) {
      items.add(CheckItem.multipleChoice(i.task(), i.docId(), i.question(), i.choices(), i.gold()));
    }
    DecontamRunner.Paraphrase para = null;
    if (paraphrase) {
      try {
        ParaphraseChecker.Settings ps =
            ParaphraseChecker.Settings.defaults()
                .withFpr(paraphraseFpr)
                .withThreads(scheme.threads())
                .withThreshold(paraphraseThreshold == null ? Double.NaN : paraphraseThreshold);
        para =
            new DecontamRunner.Paraphrase(
                read.stream().map(DecontamCommand::paraphraseItem).toList(),
                ps,
                encoder,
                encoderDevice);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException(
          "no multiple-choice items for " + (task != null ? task : itemsFile));
    }
    String title = task != null ? task : itemsFile.getFileName().toString();
    Path outDir = out != null ? out : Path.of("reports", "decontam-" + safe(title));
    OutputDirectories.requireDirectory(spec.commandLine(), "--out", outDir);
    long t0 = System.nanoTime();
    if (!engine.equals("local")) {
      if (!mode.equals("scan") && !mode.equals("index")) {
        throw new ParameterException(
            spec.commandLine(), "--mode must be scan or index, got '" + mode + "'");
      }
      if (partitions < 0) {
        throw new ParameterException(spec.commandLine(), "--partitions must be >= 0");
      }
    }
    DecontamRunner.Job job =
        new DecontamRunner.Job(log, items, data, settings, title, outDir, t0, para);
    DecontamRunner.Corpus where =
        new DecontamRunner.Corpus(
            corpus,
            indexRoot,
            engine,
            master,
            mode.equals("index"),
            partitions,
            shardsOut,
            allowPartial,
            this::buildOptions,
            java.util.stream.Stream.of(
                    "--n", "--stride", "--normalization", "--field", "--id-field")
                .filter(o -> spec.commandLine().getParseResult().hasMatchedOption(o))
                .toList());
    try {
      return new DecontamRunner(job, where).run();
    } catch (DecontamRunner.BadOption e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private BuildOptions buildOptions() {
    try {
      return scheme.build();
    } catch (IllegalArgumentException e) {
      throw new DecontamRunner.BadOption(e.getMessage(), e);
    }
  }

  /** The local path of a location written by an engine, or null when it is on another FS. */
  static Path localPath(String location) {
    if (location.startsWith("file:")) {
      return Path.of(java.net.URI.create(location));
    }
    return CorpusFiles.hasScheme(location) ? null : Path.of(location);
  }

  /** The paraphrase pass's view of an item: its question and its gold answer's text. */
  private static ParaphraseItem paraphraseItem(BenchmarkItem i) {
    String answer = i.gold() >= 0 && i.gold() < i.choices().size() ? i.choices().get(i.gold()) : "";
    return new ParaphraseItem(i.task(), i.docId(), i.question(), answer);
  }

  /** What decontam.json records of the items' origin, with each item's content hash. */
  private DecontamReport.CheckedData checkedData(DataRoot root, List<BenchmarkItem> read) {
    Map<String, Map<Integer, String>> hashes = new LinkedHashMap<>();
    for (BenchmarkItem i : read) {
      hashes
          .computeIfAbsent(i.task(), t -> new LinkedHashMap<>())
          .put(i.docId(), DecontamJson.itemHash(i.question(), i.choices(), i.gold()));
    }
    if (root == null) {
      return new DecontamReport.CheckedData(
          "--items", itemsFile.toAbsolutePath().toString(), hashes);
    }
    if (root.sample()) {
      return new DecontamReport.CheckedData("bundled sample", null, hashes);
    }
    return new DecontamReport.CheckedData(
        dataDir != null ? "--data-dir" : "EVALH_DATA",
        root.path().toAbsolutePath().toString(),
        hashes);
  }

  static String safe(String s) {
    String t = s.replaceAll("[^A-Za-z0-9._-]+", "_");
    return t.length() > 60 ? t.substring(0, 60) : t;
  }
}
