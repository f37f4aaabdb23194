package evalh.decontam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import evalh.decontam.check.CheckItem;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.check.Llama2Buckets;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.engine.DistributedEngine;
import evalh.decontam.engine.DistributedEngines;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.IndexState;
import evalh.decontam.index.IndexTrust;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.index.ShardManifest;
import evalh.decontam.report.DecontamReport;
import evalh.decontam.text.NgramScheme;
import evalh.tasks.BenchmarkItem;
import evalh.tasks.BenchmarkItems;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
          "Task or group spec from the task registry, e.g. mmlu-science or mmlu-anatomy,mmlu-virology.")
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
          "Benchmark data directory (default: $EVALH_DATA, else the bundled sample data).")
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
          "Accept an index whose build was interrupted (corpus files still 'started'); the report"
              + " then says partial in its summary. Default: such an index is an error.")
  boolean allowPartial;

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
    List<CheckItem> items = itemsFile != null ? ItemsFile.read(itemsFile) : registryItems();
    if (items.isEmpty()) {
      throw new IllegalArgumentException(
          "no multiple-choice items for " + (task != null ? task : itemsFile));
    }
    String spec = task != null ? task : itemsFile.getFileName().toString();
    Path outDir = out != null ? out : Path.of("reports", "decontam-" + safe(spec));
    OutputDirectories.requireDirectory(this.spec.commandLine(), "--out", outDir);
    long t0 = System.nanoTime();
    Job job = new Job(log, items, settings, spec, outDir, t0);
    if (!engine.equals("local")) {
      return distributed(job);
    }
    return checkIndex(job, resolveIndex(log), "local");
  }

  /** One check: the items, how, and where the report goes. */
  private record Job(
      PrintWriter log,
      List<CheckItem> items,
      CheckSettings settings,
      String spec,
      Path outDir,
      long t0) {}

  /** Checks against an index; {@code engine} built it ("local", or the Spark engine's describe). */
  private int checkIndex(Job job, Path indexDir, String engine) throws IOException {
    PrintWriter log = job.log();
    try (NgramIndex index = NgramIndex.open(indexDir)) {
      IndexTrust trust = IndexTrust.check(indexDir, index.state(), index.numDocs(), allowPartial);
      if (trust.partial()) {
        log.printf(
            Locale.ROOT,
            "warning: partial index (--allow-partial): %d corpus file(s) not fully indexed%n",
            trust.unfinished().size());
      }
      log.printf(
          Locale.ROOT,
          "checking %d items against %s (%d documents)%n",
          job.items().size(),
          indexDir,
          index.numDocs());
      ItemChecker checker = new ItemChecker(index, job.settings(), log);
      List<ItemMatch> matches = checker.check(job.items());
      DecontamReport.Builder b =
          DecontamReport.builder()
              .taskSpec(job.spec())
              .partial(trust.unfinished())
              .skipped(checker.skipped());
      IndexState st = index.state();
      b.index().put("engine", engine);
      b.index().put("path", indexDir.toAbsolutePath().toString());
      b.index().put("documents", index.numDocs());
      b.index().put("files", st.files.size());
      b.index().put("shards", index.shards());
      putScheme(b, index.scheme());
      writeReport(job, b, matches);
    }
    return 0;
  }

  private int distributed(Job job) throws IOException {
    PrintWriter log = job.log();
    if (!mode.equals("scan") && !mode.equals("index")) {
      throw new ParameterException(
          spec.commandLine(), "--mode must be scan or index, got '" + mode + "'");
    }
    if (partitions < 0) {
      throw new ParameterException(spec.commandLine(), "--partitions must be >= 0");
    }
    BuildOptions opts;
    try {
      opts = scheme.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    try (DistributedEngine eng = DistributedEngines.start(engine, master, partitions, log)) {
      if (mode.equals("index")) {
        String target =
            shardsOut != null
                ? shardsOut
                : indexRoot.resolve(indexName(opts) + "-shards").toAbsolutePath().toString();
        String manifest = eng.index(corpus, opts, target, log);
        Path local = localPath(manifest);
        if (local == null) {
          log.println(
              "shards and manifest written to "
                  + manifest
                  + "; copy that directory to this machine and run: evalh decontam --corpus <dir>"
                  + " --task ...");
          return 0;
        }
        return checkIndex(job, local, eng.describe());
      }
      log.printf(
          Locale.ROOT, "scanning for %d items with %s%n", job.items().size(), eng.describe());
      ItemChecker.QueryPlan plan = ItemChecker.plan(job.items(), opts.scheme(), job.settings());
      DistributedEngine.CorpusScan scan = eng.scan(corpus, opts, plan, cap, log);
      ItemChecker checker = new ItemChecker(scan.matches(), job.settings(), log);
      List<ItemMatch> matches = checker.check(job.items());
      DecontamReport.Builder b =
          DecontamReport.builder().taskSpec(job.spec()).skipped(checker.skipped());
      b.index().put("engine", eng.describe());
      b.index().put("mode", "scan");
      ArrayNode paths = b.index().putArray("corpus");
      corpus.forEach(paths::add);
      b.index().put("documents", scan.documents());
      b.index().put("files", scan.files());
      b.index().put("partitions", scan.partitions());
      b.index().put("tokens", scan.tokens());
      b.index().put("bytes", scan.bytes());
      b.index().put("scan_seconds", Math.round(scan.seconds() * 10) / 10.0);
      putScheme(b, opts.scheme());
      writeReport(job, b, matches);
      return 0;
    }
  }

  /** The local path of a location written by an engine, or null when it is on another FS. */
  static Path localPath(String location) {
    if (location.startsWith("file:")) {
      return Path.of(java.net.URI.create(location));
    }
    return CorpusFiles.hasScheme(location) ? null : Path.of(location);
  }

  private static void putScheme(DecontamReport.Builder b, NgramScheme s) {
    b.index().put("normalization", s.normalization().id());
    b.index().put("n", s.n());
    b.index().put("stride", s.stride());
    b.index().put("hash", s.hash());
    b.index().put("guaranteed_run", s.guaranteedRun());
  }

  private void writeReport(Job job, DecontamReport.Builder b, List<ItemMatch> matches)
      throws IOException {
    PrintWriter log = job.log();
    b.settings().put("boilerplate_cap", cap);
    b.settings().put("top_docs", topDocs);
    b.settings().put("leak_docs", leakDocs);
    b.settings().put("short_items_scanned", !noShortScan);
    b.settings().put("llama2_clean_below", Llama2Buckets.CLEAN_BELOW);
    b.settings().put("llama2_dirty_from", Llama2Buckets.DIRTY_FROM);
    b.settings()
        .put(
            "checked_text", "question + newline-separated choices; gold answer checked separately");
    LinkedHashSet<String> tasks = new LinkedHashSet<>();
    job.items().forEach(i -> tasks.add(i.task()));
    b.group(job.spec(), new ArrayList<>(tasks));
    b.addAll(matches);
    DecontamReport report = b.build();
    report.write(job.outDir());
    JsonNode s = report.json().get("summary");
    log.printf(
        Locale.ROOT,
        "%d items in %d task(s): %d dirty (%.2f%%), %d answer leaks, %d short; %.1f s%n",
        s.get("n_items").asInt(),
        tasks.size(),
        s.get("n_dirty").asInt(),
        s.get("percent").get("dirty").asDouble(),
        s.get("n_answer_leak").asInt(),
        s.get("n_short").asInt(),
        (System.nanoTime() - job.t0()) / 1e9);
    log.println(
        "wrote "
            + job.outDir().resolve("decontam.json")
            + " and "
            + job.outDir().resolve("decontam.md"));
  }

  private List<CheckItem> registryItems() {
    List<CheckItem> out = new ArrayList<>();
    for (BenchmarkItem i : BenchmarkItems.load(task, dataDir)) {
      out.add(CheckItem.multipleChoice(i.task(), i.docId(), i.question(), i.choices(), i.gold()));
    }
    return out;
  }

  private Path resolveIndex(PrintWriter log) throws IOException {
    if (corpus.size() == 1) {
      Path p = Path.of(corpus.get(0));
      if (ShardManifest.locate(p) != null
          || (Files.isDirectory(p) && CorpusIndexer.existing(p) != null)) {
        return p;
      }
    }
    BuildOptions opts;
    List<Path> files;
    try {
      opts = scheme.build();
      files = CorpusFiles.expand(corpus);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Path dir = indexRoot.resolve(indexName(opts));
    log.println(
        (Files.isDirectory(dir) ? "updating index " : "building index ")
            + dir
            + " over "
            + files.size()
            + " corpus file(s)");
    IndexCommand.print(log, dir, new CorpusIndexer(dir, opts, log).build(files));
    return dir;
  }

  private String indexName(BuildOptions opts) {
    List<String> abs =
        corpus.stream()
            .map(c -> Path.of(c).toAbsolutePath().normalize().toString())
            .sorted()
            .toList();
    String key =
        String.join("\n", abs)
            + "\n"
            + opts.scheme()
            + "\n"
            + opts.textFields()
            + "\n"
            + opts.idField();
    String first =
        Path.of(abs.get(0)).getFileName() == null
            ? "corpus"
            : Path.of(abs.get(0)).getFileName().toString();
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return safe(first) + "-" + HexFormat.of().formatHex(h, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String safe(String s) {
    String t = s.replaceAll("[^A-Za-z0-9._-]+", "_");
    return t.length() > 60 ? t.substring(0, 60) : t;
  }
}
