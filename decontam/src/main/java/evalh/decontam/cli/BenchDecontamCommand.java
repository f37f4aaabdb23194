package evalh.decontam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.core.embed.SentenceEncoder;
import evalh.decontam.bench.BenchCorpus;
import evalh.decontam.bench.RepresentationBench;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.engine.DistributedEngine;
import evalh.decontam.engine.DistributedEngines;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.BuildReport;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.paraphrase.Encoders;
import evalh.decontam.paraphrase.ParaphraseChecker;
import evalh.decontam.paraphrase.ParaphraseItem;
import evalh.decontam.paraphrase.ParaphraseMatch;
import evalh.decontam.paraphrase.WindowIndex;
import evalh.decontam.paraphrase.WindowIndexer;
import evalh.decontam.paraphrase.WindowOptions;
import evalh.decontam.report.DecontamReport;
import evalh.decontam.scan.LocalScan;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.lucene.util.IOUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evalh bench-decontam}: index build and check throughput on a generated corpus. */
@Command(
    name = "bench-decontam",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark decontamination on a generated corpus (synthetic JSONL prose)",
      "with MMLU-sized items, some planted verbatim: build GB/hour per thread,",
      "index bytes per corpus token per stride and winnowing window, time to check",
      "all items, the local scan's GB/hour per core against `wc -w` on the same",
      "files in the same run, and a comparison of term representations. Writes",
      "<work>/bench-decontam.json. Exit 1 if the winnowed index, the local scan or",
      "(with --spark-masters) the Spark scan give per-item results different from",
      "the stride-1 index."
    })
public final class BenchDecontamCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      defaultValue = "/tmp/evalh-bench-decontam",
      description = "Scratch directory for the corpus and indexes (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(
      names = "--size-gb",
      paramLabel = "GB",
      defaultValue = "1.0",
      description = "Corpus size in GB (10^9 bytes; default: ${DEFAULT-VALUE}).")
  double sizeGb;

  @Option(
      names = "--items",
      paramLabel = "N",
      defaultValue = "14042",
      description = "Items to check (default: ${DEFAULT-VALUE}, the size of MMLU's test split).")
  int itemCount;

  @Option(
      names = "--threads",
      paramLabel = "N",
      split = ",",
      defaultValue = "1",
      description =
          "Indexing and checking threads (default: ${DEFAULT-VALUE}). A list (1,2) builds each"
              + " index once per count, in the same run, and reports the build's scaling from the"
              + " first count to the others; the checks use the largest.")
  List<Integer> threadCounts;

  /** Every {@code --threads} count, ascending: each index is built once per count. */
  private List<Integer> buildThreads;

  /** The largest of {@code --threads}: what the checks and the paraphrase pass run with. */
  private int threads;

  @Option(
      names = "--strides",
      paramLabel = "S",
      split = ",",
      defaultValue = "1,4",
      description = "Strides to build an index for (default: ${DEFAULT-VALUE}).")
  List<Integer> strides;

  @Option(
      names = "--windows",
      paramLabel = "W",
      split = ",",
      defaultValue = "8",
      description =
          "Winnowing windows to build an index for (n + W - 1 tokens guaranteed; checked with exact"
              + " re-counting and compared with the stride-1 index; default: ${DEFAULT-VALUE}).")
  List<Integer> windows;

  @Option(
      names = "--compare-mb",
      paramLabel = "MB",
      defaultValue = "64",
      description =
          "Text (MB) for the term-representation comparison; 0 skips it (default: ${DEFAULT-VALUE}).")
  int compareMb;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--spark-masters",
      paramLabel = "URL",
      split = ",",
      description =
          "Also run the spark engine's scan at each master (e.g. local[1],local[2]): throughput per"
              + " core against the local index build, and per-item results compared with the"
              + " stride-1 local index (needs Spark: run through ./evalh).")
  List<String> sparkMasters;

  @Option(
      names = "--spark-index",
      description = "With --spark-masters: also build the sharded index with Spark at each master.")
  boolean sparkIndex;

  @Option(
      names = "--paraphrase",
      description =
          "Also build the paraphrase pass's window index (--threads threads) and check all items"
              + " against it (each item's question and choices as its query text, since the"
              + " generated items keep no separate question): build GB/h per thread, bytes per"
              + " corpus token (whitespace word), check seconds with the null calibration; with"
              + " --spark-masters also the spark engine's paraphrase scan, compared with the"
              + " local window index item by item.")
  boolean paraphrase;

  @Option(
      names = "--encoder",
      paramLabel = "DIR",
      description =
          "With --paraphrase: also time this sentence-transformers checkpoint (BERT family) on"
              + " CPU embedding candidate windows (windows/s).")
  Path encoder;

  @Option(
      names = "--encoder-windows",
      paramLabel = "N",
      defaultValue = "128",
      description =
          "With --encoder: candidate windows to embed, in batches of 32 after an untimed batch"
              + " (default: ${DEFAULT-VALUE}).")
  int encoderWindows;

  /** The local index's paraphrase verdicts, to compare the spark engine's with. */
  private List<ParaphraseMatch> localParaphrase;

  @Option(
      names = "--no-scan",
      description =
          "Skip the local scan (by default the corpus is scanned on one thread for the items'"
              + " n-grams, timed against `wc -w` on the same files in the same run, and its"
              + " per-item results compared with the stride-1 index's).")
  boolean noScan;

  @Option(names = "--clean", description = "Delete the generated corpus and indexes afterwards.")
  boolean clean;

  @Override
  public Integer call() throws IOException {
    if (threadCounts.isEmpty() || threadCounts.stream().anyMatch(t -> t < 1)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--threads: counts must be at least 1, got " + threadCounts);
    }
    buildThreads = threadCounts.stream().distinct().sorted().toList();
    threads = buildThreads.getLast();
    PrintWriter out = spec.commandLine().getOut();
    ObjectNode res = JsonNodeFactory.instance.objectNode();
    res.put("cpus", Runtime.getRuntime().availableProcessors());
    res.put("threads", threads);
    res.put(
        "load_average_at_start",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    long t0 = System.nanoTime();
    BenchCorpus corpus =
        BenchCorpus.generate(work.resolve("corpus"), (long) (sizeGb * 1e9), itemCount, seed);
    out.printf(
        Locale.ROOT,
        "corpus: %d shard(s), %.3f GB, generated/reused in %.1f s; %d items, %d planted%n",
        corpus.shards().size(),
        corpus.bytes() / 1e9,
        (System.nanoTime() - t0) / 1e9,
        corpus.items().size(),
        corpus.planted().size());
    out.flush();
    res.put("corpus_bytes", corpus.bytes());
    res.put("items", corpus.items().size());
    res.put("planted", corpus.planted().size());
    ArrayNode builds = res.putArray("builds");
    List<String> localItems = null;
    double localGbPerHourPerThread = 0;
    if (sparkMasters != null && !strides.contains(1)) {
      throw new IllegalArgumentException(
          "--spark-masters compares with the stride-1 local index: include 1 in --strides");
    }
    List<NgramScheme> schemes = new ArrayList<>();
    for (int stride : strides) {
      schemes.add(new NgramScheme(Normalization.JANITOR, 13, stride));
    }
    for (int w : windows) {
      schemes.add(new NgramScheme(Normalization.JANITOR, 13, 1, w));
    }
    boolean enginesAgree = true;
    for (NgramScheme scheme : schemes) {
      String name = schemeName(scheme);
      Path dir = work.resolve("index-" + name.replace(' ', '-'));
      ObjectNode b = builds.addObject();
      ArrayNode scaling = JsonNodeFactory.instance.arrayNode();
      BuildReport br = null;
      double cpuSecs = 0;
      for (int t : buildThreads) {
        IOUtils.rm(dir);
        BuildOptions opts = new BuildOptions(scheme, List.of("text"), "id", t, 256);
        long cpu0 = processCpuNanos();
        br =
            new CorpusIndexer(dir, opts, new PrintWriter(new StringWriter()))
                .build(corpus.shards());
        cpuSecs = (processCpuNanos() - cpu0) / 1e9;
        if (buildThreads.size() > 1) {
          scaling.add(threadRun(name, t, br.seconds(), cpuSecs, corpus.bytes(), scaling, out));
        }
      }
      if (!scaling.isEmpty()) {
        b.set("thread_scaling", scaling);
      }
      long bytes = IndexCommand.directorySize(dir);
      double gbPerHourPerThread = corpus.bytes() / 1e9 / (br.seconds() / 3600) / threads;
      b.put("scheme", name);
      b.put("stride", scheme.stride());
      b.put("window", scheme.window());
      b.put("guaranteed_run", scheme.guaranteedRun());
      b.put("build_seconds", br.seconds());
      b.put("gb_per_hour_per_thread", gbPerHourPerThread);
      b.put("process_cpu_seconds", cpuSecs);
      b.put("gb_per_cpu_hour", corpus.bytes() / 1e9 / (cpuSecs / 3600));
      b.put("tokens", br.tokens());
      b.put("index_bytes", bytes);
      b.put("bytes_per_token", (double) bytes / br.tokens());
      out.printf(
          Locale.ROOT,
          "%s: build %.1f s = %.2f GB/h/thread (process CPU %.1f s = %.2f GB/CPU-hour); %d"
              + " tokens; index %s = %.3f bytes/token%n",
          name,
          br.seconds(),
          gbPerHourPerThread,
          cpuSecs,
          corpus.bytes() / 1e9 / (cpuSecs / 3600),
          br.tokens(),
          IndexCommand.humanBytes(bytes),
          (double) bytes / br.tokens());
      out.flush();
      try (NgramIndex index = NgramIndex.open(dir)) {
        long c0 = System.nanoTime();
        long ccpu0 = processCpuNanos();
        StringWriter checkLog = new StringWriter();
        List<ItemMatch> ms =
            new ItemChecker(index, settings(), new PrintWriter(checkLog)).check(corpus.items());
        double secs = (System.nanoTime() - c0) / 1e9;
        boolean reference = scheme.stride() == 1 && !scheme.winnowed();
        if (reference) {
          localItems = itemJson(ms);
          localGbPerHourPerThread = gbPerHourPerThread;
        }
        b.put("check_process_cpu_seconds", (processCpuNanos() - ccpu0) / 1e9);
        long dirty = ms.stream().filter(ItemMatch::dirty).count();
        long plantedFound = corpus.planted().stream().filter(i -> ms.get(i).dirty()).count();
        b.put("check_seconds", secs);
        b.put("dirty", dirty);
        b.put("planted_found", plantedFound);
        String same = "";
        if (!reference && localItems != null) {
          boolean identical = itemJson(ms).equals(localItems);
          b.put("identical_to_stride1", identical);
          same =
              identical
                  ? "; per-item results identical to stride 1"
                  : scheme.winnowed()
                      ? "; per-item results DIFFERENT from stride 1"
                      : "; per-item counts below stride 1's (a stride gives lower bounds)";
          enginesAgree &= identical || !scheme.winnowed(); // a stride gives lower bounds
        }
        out.printf(
            Locale.ROOT,
            "%s: checked %d items in %.2f s; %d dirty, %d/%d planted found%s%s%n",
            name,
            ms.size(),
            secs,
            dirty,
            plantedFound,
            corpus.planted().size(),
            scheme.winnowed() ? " (" + checkLog.toString().strip() + ")" : "",
            same);
        out.flush();
      }
    }
    if (paraphrase) {
      res.set("paraphrase", paraphraseBench(corpus, out));
    }
    if (!noScan) {
      enginesAgree &= localScan(corpus, localItems, res, out);
    }
    if (sparkMasters != null) {
      ArrayNode sp = res.putArray("spark");
      for (String master : sparkMasters) {
        ObjectNode o = sparkRun(master, corpus, localItems, localGbPerHourPerThread, out);
        enginesAgree &= o.path("identical_to_local_index").asBoolean(false);
        enginesAgree &= o.path("index_identical_to_local_index").asBoolean(true);
        enginesAgree &= o.path("paraphrase_identical_to_local_index").asBoolean(true);
        sp.add(o);
      }
    }
    if (compareMb > 0) {
      ArrayNode cmp = res.putArray("representations");
      out.println(
          "term representations on the first "
              + compareMb
              + " MB of text (1 thread, force-merged):");
      for (RepresentationBench.Variant v : RepresentationBench.variants()) {
        Path dir = work.resolve("repr");
        IOUtils.rm(dir);
        RepresentationBench.Result r =
            RepresentationBench.run(
                v,
                NgramScheme.defaults(),
                corpus.shards().get(0),
                compareMb * 1_000_000L,
                corpus.items(),
                dir);
        ObjectNode o = cmp.addObject();
        o.put("variant", r.name());
        o.put("index_bytes", r.bytes());
        o.put("tokens", r.tokens());
        o.put("bytes_per_token", r.bytesPerToken());
        o.put("build_seconds", r.buildSeconds());
        o.put("lookup_microseconds", r.lookupMicros());
        out.printf(
            Locale.ROOT,
            "  %-36s %7.3f bytes/token  build %6.1f s  lookup %6.2f us/n-gram%n",
            r.name(),
            r.bytesPerToken(),
            r.buildSeconds(),
            r.lookupMicros());
        out.flush();
        IOUtils.rm(dir);
      }
    }
    res.put(
        "load_average_at_end",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Files.createDirectories(work);
    Files.writeString(
        work.resolve("bench-decontam.json"),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(res));
    out.println("wrote " + work.resolve("bench-decontam.json"));
    if (clean) {
      IOUtils.rm(work.resolve("corpus"));
      for (NgramScheme sc : schemes) {
        IOUtils.rm(work.resolve("index-" + schemeName(sc).replace(' ', '-')));
      }
    }
    if (!enginesAgree) {
      spec.commandLine()
          .getErr()
          .println(
              "evalh: error: per-item results differ from the stride-1 local index (the winnowed"
                  + " index, the local scan or the spark engine: see above)");
      return 1;
    }
    return 0;
  }

  private ObjectNode paraphraseBench(BenchCorpus corpus, PrintWriter out) throws IOException {
    Path dir = work.resolve("windows");
    IOUtils.rm(dir);
    long cpu0 = processCpuNanos();
    WindowIndexer.Report r =
        new WindowIndexer(
                dir,
                WindowOptions.of(List.of("text"), "id", threads),
                new PrintWriter(new StringWriter()))
            .build(corpus.shards().stream().map(CorpusFile::local).toList());
    double cpuSecs = (processCpuNanos() - cpu0) / 1e9;
    long bytes = IndexCommand.directorySize(dir);
    double gbh = corpus.bytes() / 1e9 / (r.seconds() / 3600) / threads;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("threads", threads);
    o.put("build_seconds", r.seconds());
    o.put("gb_per_hour_per_thread", gbh);
    o.put("process_cpu_seconds", cpuSecs);
    o.put("gb_per_cpu_hour", corpus.bytes() / 1e9 / (cpuSecs / 3600));
    o.put("windows", r.windows());
    o.put("tokens", r.words());
    o.put("index_bytes", bytes);
    o.put("bytes_per_token", (double) bytes / r.words());
    out.printf(
        Locale.ROOT,
        "paraphrase: window index build %.1f s = %.2f GB/h/thread (process CPU %.1f s = %.2f"
            + " GB/CPU-hour); %d windows over %d tokens (whitespace words); index %s = %.2f"
            + " bytes/token%n",
        r.seconds(),
        gbh,
        cpuSecs,
        corpus.bytes() / 1e9 / (cpuSecs / 3600),
        r.windows(),
        r.words(),
        IndexCommand.humanBytes(bytes),
        (double) bytes / r.words());
    out.flush();
    List<ParaphraseItem> items = paraphraseItems(corpus);
    try (WindowIndex index = WindowIndex.open(dir)) {
      long ccpu0 = processCpuNanos();
      ParaphraseChecker.Result res =
          new ParaphraseChecker(index, ParaphraseChecker.Settings.defaults().withThreads(threads))
              .check(items);
      double ccpu = (processCpuNanos() - ccpu0) / 1e9;
      localParaphrase = res.matches();
      long planted = corpus.planted().stream().filter(i -> res.matches().get(i).suspect()).count();
      int nulls = res.calibrations().values().stream().mapToInt(c -> c.nullItems()).sum();
      o.put("items", items.size());
      o.put("check_seconds", res.seconds());
      o.put("check_process_cpu_seconds", ccpu);
      o.put("null_items", nulls);
      o.put("suspects", res.suspects());
      o.put("planted_suspects", planted);
      o.put("estimated_fpr", res.estimatedFpr());
      out.printf(
          Locale.ROOT,
          "paraphrase: checked %d items (+ %d null items) in %.2f s on %d thread(s) (process CPU"
              + " %.1f s); %d suspects, %d/%d planted; estimated FPR %.4f%n",
          items.size(),
          nulls,
          res.seconds(),
          threads,
          ccpu,
          res.suspects(),
          planted,
          corpus.planted().size(),
          res.estimatedFpr());
      out.flush();
      if (encoder != null) {
        o.set("encoder", encoderBench(index, res, out));
      }
    }
    return o;
  }

  /** The bench's items as the paraphrase pass sees them (no separate question: the item text). */
  private static List<ParaphraseItem> paraphraseItems(BenchCorpus corpus) {
    return corpus.items().stream()
        .map(i -> new ParaphraseItem(i.task(), i.docId(), i.text(), i.answer()))
        .toList();
  }

  /**
   * Encoder throughput on CPU: the shown windows of the first items (up to {@code
   * --encoder-windows}) embedded in batches of 32, after one untimed batch.
   */
  private ObjectNode encoderBench(WindowIndex index, ParaphraseChecker.Result res, PrintWriter out)
      throws IOException {
    List<String> texts = new ArrayList<>();
    for (ParaphraseMatch m : res.matches()) {
      for (ParaphraseMatch.WindowHit h : m.windows()) {
        if (texts.size() < encoderWindows) {
          texts.add(h.window().text());
        }
      }
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    try (SentenceEncoder enc = Encoders.open(encoder, "cpu")) {
      int batch = 32;
      enc.embed(texts.subList(0, Math.min(batch, texts.size())));
      long t0 = System.nanoTime();
      for (int i = 0; i < texts.size(); i += batch) {
        enc.embed(texts.subList(i, Math.min(texts.size(), i + batch)));
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      o.put("encoder", enc.describe());
      o.put("windows", texts.size());
      o.put("batch", batch);
      o.put("seconds", secs);
      o.put("windows_per_second", texts.size() / secs);
      out.printf(
          Locale.ROOT,
          "paraphrase encoder (%s, CPU): %d windows in %.2f s = %.1f windows/s (batches of %d)%n",
          enc.describe(),
          texts.size(),
          secs,
          texts.size() / secs,
          batch);
      out.flush();
    }
    return o;
  }

  /**
   * The local scan (one thread, after an untimed pass over the first shard) between two timings of
   * {@code wc -w} on the same files; false when its per-item results differ from the stride-1
   * index's.
   */
  private boolean localScan(
      BenchCorpus corpus, List<String> localItems, ObjectNode res, PrintWriter out)
      throws IOException {
    ObjectNode o = res.putObject("scan");
    BuildOptions opts =
        new BuildOptions(
            new NgramScheme(Normalization.JANITOR, 13, 1), List.of("text"), "id", 1, 256);
    ItemChecker.QueryPlan plan = ItemChecker.plan(corpus.items(), opts.scheme(), settings());
    double gb = corpus.bytes() / 1e9;
    // steady state, as in a scan of terabytes: the JIT has compiled the pass before it is timed
    LocalScan.run(corpus.shards().subList(0, 1), opts, plan, 10);
    java.util.Optional<WordCount> wc1 = wordCount(corpus.shards());
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    LocalScan scanned = LocalScan.run(corpus.shards(), opts, plan, 10);
    double secs = (System.nanoTime() - t0) / 1e9;
    double cpu = (processCpuNanos() - cpu0) / 1e9;
    java.util.Optional<WordCount> wc2 = wordCount(corpus.shards());
    List<String> items =
        itemJson(
            new ItemChecker(scanned, settings(), new PrintWriter(new StringWriter()))
                .check(corpus.items()));
    Boolean same = localItems == null ? null : items.equals(localItems);
    double scanGbh = gb / (secs / 3600);
    o.put("threads", 1);
    o.put("scan_seconds", secs);
    o.put("scan_gb_per_hour_per_core", scanGbh);
    o.put("scan_process_cpu_seconds", cpu);
    o.put("scan_gb_per_cpu_hour", gb / (cpu / 3600));
    o.put("tokens", scanned.fileStats().stream().mapToLong(f -> f.tokens).sum());
    String wcLine = "not available";
    if (wc1.isPresent() && wc2.isPresent()) {
      double wcWall = (wc1.get().wallSeconds() + wc2.get().wallSeconds()) / 2;
      double wcCpu = (wc1.get().cpuSeconds() + wc2.get().cpuSeconds()) / 2;
      o.put("wc_w_seconds", wcWall);
      o.put("wc_w_cpu_seconds", wcCpu);
      o.put("wc_w_gb_per_hour", gb / (wcWall / 3600));
      o.put("wc_w_gb_per_cpu_hour", gb / (wcCpu / 3600));
      o.put("scan_vs_wc_w_wall", wcWall / secs);
      o.put("scan_vs_wc_w_cpu", wcCpu / cpu);
      wcLine =
          String.format(
              Locale.ROOT,
              "wc -w (mean of one run before and one after) %.2f s = %.1f GB/h, CPU %.2f s ="
                  + " %.1f GB/CPU-hour; scan at %.2fx wc -w (wall), %.2fx (CPU)",
              wcWall,
              gb / (wcWall / 3600),
              wcCpu,
              gb / (wcCpu / 3600),
              wcWall / secs,
              wcCpu / cpu);
    }
    if (same != null) {
      o.put("identical_to_local_index", same);
    }
    out.printf(
        Locale.ROOT,
        "local scan (1 thread): %.2f s = %.1f GB/h/core (process CPU %.2f s = %.1f GB/CPU-hour);"
            + " %s; per-item results %s%n",
        secs,
        scanGbh,
        cpu,
        gb / (cpu / 3600),
        wcLine,
        same == null
            ? "not compared (no stride-1 index)"
            : same ? "identical to the stride-1 index" : "DIFFERENT from the stride-1 index");
    out.flush();
    return same == null || same;
  }

  /**
   * One build of a {@code --threads} list: its rates, and its speed-up over the first count's build
   * (wall clock) with the CPU it took per GB relative to that build (1 = no extra work per byte).
   */
  private static ObjectNode threadRun(
      String scheme,
      int threads,
      double secs,
      double cpuSecs,
      long corpusBytes,
      ArrayNode earlier,
      PrintWriter out) {
    double gb = corpusBytes / 1e9;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("threads", threads);
    o.put("build_seconds", secs);
    o.put("gb_per_hour", gb / (secs / 3600));
    o.put("gb_per_hour_per_thread", gb / (secs / 3600) / threads);
    o.put("process_cpu_seconds", cpuSecs);
    o.put("gb_per_cpu_hour", gb / (cpuSecs / 3600));
    String vs = "";
    if (!earlier.isEmpty()) {
      JsonNode first = earlier.get(0);
      double speedup = first.get("build_seconds").asDouble() / secs;
      double cpuRatio = cpuSecs / first.get("process_cpu_seconds").asDouble();
      o.put("speedup_vs_" + first.get("threads").asInt() + "_threads", speedup);
      o.put("cpu_vs_" + first.get("threads").asInt() + "_threads", cpuRatio);
      vs =
          String.format(
              Locale.ROOT,
              "; %.2fx the %d-thread build by wall clock, %.2fx its CPU",
              speedup,
              first.get("threads").asInt(),
              cpuRatio);
    }
    out.printf(
        Locale.ROOT,
        "%s, %d thread(s): build %.1f s = %.2f GB/h (%.2f GB/h/thread; process CPU %.1f s = %.2f"
            + " GB/CPU-hour)%s%n",
        scheme,
        threads,
        secs,
        gb / (secs / 3600),
        gb / (secs / 3600) / threads,
        cpuSecs,
        gb / (cpuSecs / 3600),
        vs);
    out.flush();
    return o;
  }

  /** Wall and CPU (user + system) seconds of one {@code wc -w} over files; empty without wc. */
  record WordCount(double wallSeconds, double cpuSeconds) {}

  /**
   * Runs {@code wc -w} on the files (output discarded) under {@code sh}, which then prints its own
   * {@code /proc/<pid>/stat}: the waited-for child's CPU time is in fields 16 and 17 (clock ticks).
   */
  private static java.util.Optional<WordCount> wordCount(List<Path> files) {
    List<String> cmd =
        new ArrayList<>(List.of("sh", "-c", "wc -w \"$@\" > /dev/null && cat /proc/$$/stat", "sh"));
    files.forEach(f -> cmd.add(f.toString()));
    try {
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String stat =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int rc = p.waitFor();
      double wall = (System.nanoTime() - t0) / 1e9;
      if (rc != 0) {
        return java.util.Optional.empty();
      }
      // fields after the command name (which ends at the last ')'): state is field 3
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      double ticks = Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3]);
      return java.util.Optional.of(new WordCount(wall, ticks / CLOCK_TICKS));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  /** Linux's USER_HZ (getconf CLK_TCK), 100 on every mainstream architecture. */
  private static final double CLOCK_TICKS = 100;

  private static String schemeName(NgramScheme s) {
    return s.winnowed() ? "window " + s.window() : "stride " + s.stride();
  }

  private CheckSettings settings() {
    return new CheckSettings(10, 3, 100, true, threads);
  }

  private static List<String> itemJson(List<ItemMatch> ms) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> out = new ArrayList<>(ms.size());
    for (ItemMatch m : ms) {
      out.add(json.writeValueAsString(DecontamReport.item(m)));
    }
    return out;
  }

  /** The spark engine at one master: scan (and optionally index) throughput, same answers. */
  private ObjectNode sparkRun(
      String master,
      BenchCorpus corpus,
      List<String> localItems,
      double localGbPerHourPerThread,
      PrintWriter out)
      throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("master", master);
    BuildOptions opts =
        new BuildOptions(
            new NgramScheme(Normalization.JANITOR, 13, 1), List.of("text"), "id", threads, 256);
    List<String> paths = corpus.shards().stream().map(Path::toString).toList();
    PrintWriter quiet = new PrintWriter(new StringWriter());
    try (DistributedEngine eng = DistributedEngines.start("spark", master, 0, quiet)) {
      // the executors' cores (task slots), not this JVM's
      int cores = eng.cores();
      o.put("engine", eng.describe());
      o.put("cores", cores);
      ItemChecker.QueryPlan plan = ItemChecker.plan(corpus.items(), opts.scheme(), settings());
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      DistributedEngine.CorpusScan scan = eng.scan(paths, opts, plan, 10, quiet);
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpu = (processCpuNanos() - cpu0) / 1e9;
      long c0 = System.nanoTime();
      List<String> items =
          itemJson(new ItemChecker(scan.matches(), settings(), quiet).check(corpus.items()));
      double checkSecs = (System.nanoTime() - c0) / 1e9;
      double gbh = corpus.bytes() / 1e9 / (secs / 3600);
      boolean same = items.equals(localItems);
      o.put("scan_seconds", secs);
      o.put("scan_gb_per_hour", gbh);
      o.put("scan_gb_per_hour_per_core", gbh / cores);
      o.put("scan_process_cpu_seconds", cpu);
      o.put("scan_gb_per_cpu_hour", corpus.bytes() / 1e9 / (cpu / 3600));
      o.put("scan_vs_local_build_per_core", gbh / cores / localGbPerHourPerThread);
      o.put("check_seconds", checkSecs);
      o.put("documents", scan.documents());
      o.put("tokens", scan.tokens());
      o.put("identical_to_local_index", same);
      out.printf(
          Locale.ROOT,
          "spark %s scan: %.1f s = %.2f GB/h = %.2f GB/h/core (%.1fx the local stride-1 build per"
              + " thread; process CPU %.1f s = %.2f GB/CPU-hour); check %.1f s; per-item results"
              + " %s the local index%n",
          master,
          secs,
          gbh,
          gbh / cores,
          gbh / cores / localGbPerHourPerThread,
          cpu,
          corpus.bytes() / 1e9 / (cpu / 3600),
          checkSecs,
          same ? "identical to" : "DIFFERENT from");
      out.flush();
      if (localParaphrase != null) {
        long p0 = System.nanoTime();
        ParaphraseChecker.Result pr =
            new ParaphraseChecker(
                    eng.paraphrase(paths, WindowOptions.of(List.of("text"), "id", threads), quiet),
                    ParaphraseChecker.Settings.defaults().withThreads(threads))
                .check(paraphraseItems(corpus));
        double psecs = (System.nanoTime() - p0) / 1e9;
        boolean psame = pr.matches().equals(localParaphrase);
        o.put("paraphrase_seconds", psecs);
        o.put("paraphrase_identical_to_local_index", psame);
        out.printf(
            Locale.ROOT,
            "spark %s paraphrase scan: %d items in %.1f s (%.2f GB/h/core per pass); per-item"
                + " paraphrase results %s the local window index%n",
            master,
            pr.matches().size(),
            psecs,
            corpus.bytes() / 1e9 / (psecs / 3 / 3600) / cores,
            psame ? "identical to" : "DIFFERENT from");
        out.flush();
      }
      if (sparkIndex) {
        Path shards = work.resolve("spark-shards-" + master.replaceAll("[^A-Za-z0-9]", ""));
        IOUtils.rm(shards);
        long i0 = System.nanoTime();
        // a file: URI: with a cluster master a plain path is refused (it would be each
        // executor's own disk); here the cluster shares this machine's file system
        String manifest = eng.index(paths, opts, shards.toUri().toString(), quiet);
        double isecs = (System.nanoTime() - i0) / 1e9;
        List<String> viaShards;
        try (NgramIndex index = NgramIndex.open(DecontamCommand.localPath(manifest))) {
          viaShards = itemJson(new ItemChecker(index, settings(), quiet).check(corpus.items()));
        }
        double igbh = corpus.bytes() / 1e9 / (isecs / 3600);
        long shardBytes = IndexCommand.directorySize(shards);
        boolean isame = viaShards.equals(localItems);
        o.put("index_seconds", isecs);
        o.put("index_gb_per_hour_per_core", igbh / cores);
        o.put("index_bytes", shardBytes);
        o.put("index_identical_to_local_index", isame);
        out.printf(
            Locale.ROOT,
            "spark %s index: %.1f s = %.2f GB/h/core; shards %s; per-item results %s the local"
                + " index%n",
            master,
            isecs,
            igbh / cores,
            IndexCommand.humanBytes(shardBytes),
            isame ? "identical to" : "DIFFERENT from");
        out.flush();
        if (clean) {
          IOUtils.rm(shards);
        }
      }
    }
    return o;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
