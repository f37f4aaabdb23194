package evalh.decontam.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.decontam.bench.BenchCorpus;
import evalh.decontam.bench.RepresentationBench;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.BuildReport;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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
      "index bytes per corpus token per stride, time to check all items, and a",
      "comparison of term representations. Writes <work>/bench-decontam.json."
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
      defaultValue = "1",
      description = "Indexing and checking threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--strides",
      paramLabel = "S",
      split = ",",
      defaultValue = "1,4",
      description = "Strides to build an index for (default: ${DEFAULT-VALUE}).")
  List<Integer> strides;

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

  @Option(names = "--clean", description = "Delete the generated corpus and indexes afterwards.")
  boolean clean;

  @Override
  public Integer call() throws IOException {
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
    for (int stride : strides) {
      Path dir = work.resolve("index-stride" + stride);
      deleteTree(dir);
      NgramScheme scheme = new NgramScheme(Normalization.JANITOR, 13, stride);
      BuildOptions opts = new BuildOptions(scheme, List.of("text"), "id", threads, 256);
      long cpu0 = processCpuNanos();
      BuildReport br =
          new CorpusIndexer(dir, opts, new PrintWriter(new StringWriter())).build(corpus.shards());
      double cpuSecs = (processCpuNanos() - cpu0) / 1e9;
      long bytes = IndexCommand.directorySize(dir);
      double gbPerHourPerThread = corpus.bytes() / 1e9 / (br.seconds() / 3600) / threads;
      ObjectNode b = builds.addObject();
      b.put("stride", stride);
      b.put("build_seconds", br.seconds());
      b.put("gb_per_hour_per_thread", gbPerHourPerThread);
      b.put("process_cpu_seconds", cpuSecs);
      b.put("gb_per_cpu_hour", corpus.bytes() / 1e9 / (cpuSecs / 3600));
      b.put("tokens", br.tokens());
      b.put("index_bytes", bytes);
      b.put("bytes_per_token", (double) bytes / br.tokens());
      out.printf(
          Locale.ROOT,
          "stride %d: build %.1f s = %.2f GB/h/thread (process CPU %.1f s = %.2f GB/CPU-hour); %d"
              + " tokens; index %s = %.3f bytes/token%n",
          stride,
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
        List<ItemMatch> ms =
            new ItemChecker(
                    index,
                    new CheckSettings(10, 3, 100, true, threads),
                    new PrintWriter(new StringWriter()))
                .check(corpus.items());
        double secs = (System.nanoTime() - c0) / 1e9;
        b.put("check_process_cpu_seconds", (processCpuNanos() - ccpu0) / 1e9);
        long dirty = ms.stream().filter(ItemMatch::dirty).count();
        long plantedFound = corpus.planted().stream().filter(i -> ms.get(i).dirty()).count();
        b.put("check_seconds", secs);
        b.put("dirty", dirty);
        b.put("planted_found", plantedFound);
        out.printf(
            Locale.ROOT,
            "stride %d: checked %d items in %.2f s; %d dirty, %d/%d planted found%n",
            stride,
            ms.size(),
            secs,
            dirty,
            plantedFound,
            corpus.planted().size());
        out.flush();
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
        deleteTree(dir);
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
        deleteTree(dir);
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
      deleteTree(work.resolve("corpus"));
      for (int s : strides) {
        deleteTree(work.resolve("index-stride" + s));
      }
    }
    return 0;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
