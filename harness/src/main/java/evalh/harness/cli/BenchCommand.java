package evalh.harness.cli;

import evalh.core.io.AtomicFiles;
import evalh.engine.checkpoint.Checkpoint;
import evalh.engine.checkpoint.ModelConfig;
import evalh.engine.model.RandomLlama;
import evalh.engine.model.Transformer;
import evalh.engine.runtime.HostMemory;
import evalh.engine.runtime.MatmulPeak;
import evalh.engine.runtime.Runtimes;
import evalh.engine.runtime.TensorRuntime;
import evalh.engine.scoring.DemoCheckpoint;
import evalh.engine.scoring.LoglikelihoodEngine;
import evalh.engine.scoring.Progress;
import evalh.engine.scoring.TokenRequest;
import evalh.engine.scoring.TokenScorer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code evalh bench}: scoring throughput and model FLOP utilisation of a randomly initialised
 * Llama against this machine's matmul peak, measured in the same run.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark batched scoring on a randomly initialised Llama generated on the fly",
      "(default ~134M parameters: hidden 768, 12 layers, vocab 32000) and report tokens/s and",
      "MFU = model FLOP/s / peak, the peak being a square matmul measured in the same run.",
      "Workloads: 'rolling' scores every position of full rows (bits-per-byte style);",
      "'mc' scores one position per row (multiple-choice style); 'fewshot' is 5-shot MMLU-shaped",
      "items (a subject's shared few-shot block, a question, four one-token choices), run with",
      "and without prefix sharing in the same process.",
      "Every dtype of --dtypes runs the same model and items in this process, each against its",
      "own matmul peak in that dtype; a summary compares them as ratios.",
      "--ckpt benchmarks an existing checkpoint instead; --write-checkpoint DIR only writes the",
      "random checkpoint (with a tokenizer, for evalh score) and exits; --preset llama3-8b gives",
      "Llama-3-8B's shape (about 16 GB in BF16)."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--hidden",
      defaultValue = "768",
      description = "Hidden size (default ${DEFAULT-VALUE}).")
  int hidden;

  @Option(
      names = "--layers",
      defaultValue = "12",
      description = "Layers (default ${DEFAULT-VALUE}).")
  int layers;

  @Option(
      names = "--heads",
      defaultValue = "12",
      description = "Attention heads (default ${DEFAULT-VALUE}).")
  int heads;

  @Option(
      names = "--kv-heads",
      defaultValue = "12",
      description = "KV heads (default ${DEFAULT-VALUE}).")
  int kvHeads;

  @Option(
      names = "--intermediate",
      defaultValue = "2048",
      description = "MLP size (default ${DEFAULT-VALUE}).")
  int intermediate;

  @Option(
      names = "--vocab",
      defaultValue = "32000",
      description = "Vocabulary (default ${DEFAULT-VALUE}).")
  int vocab;

  @Option(
      names = "--seq-len",
      defaultValue = "512",
      description = "Tokens per row (default ${DEFAULT-VALUE}).")
  int seqLen;

  @Option(
      names = "--rows",
      defaultValue = "32",
      description = "Rows per workload (default ${DEFAULT-VALUE}).")
  int rows;

  @Mixin ModelOptions model;

  @Option(
      names = "--dtypes",
      defaultValue = "float32,bfloat16",
      split = ",",
      paramLabel = "DTYPE",
      description =
          "Compute dtypes to compare, in order (default ${DEFAULT-VALUE}); --dtype D alone"
              + " benchmarks D.")
  List<String> dtypes;

  @Option(
      names = "--preset",
      paramLabel = "llama3-8b",
      description = "A named model shape instead of --hidden ... --vocab.")
  String preset;

  @Option(
      names = "--write-checkpoint",
      paramLabel = "DIR",
      description = "Write the random checkpoint (and a tokenizer) to DIR and exit.")
  Path writeTo;

  @Option(
      names = "--workload",
      defaultValue = "rolling,mc,fewshot",
      split = ",",
      description =
          "Workloads to run: rolling, mc, fewshot (default ${DEFAULT-VALUE}); fewshot-shared is"
              + " fewshot's rows with a shared prefix alone; or fingerprint alone with --ckpt: the"
              + " time to open the checkpoint with its weights hashed, then cached.")
  List<String> workloads;

  @Option(
      names = "--shots-tokens",
      defaultValue = "500",
      description = "fewshot: tokens of a subject's few-shot block (default ${DEFAULT-VALUE}).")
  int shotsTokens;

  @Option(
      names = "--question-tokens",
      defaultValue = "100",
      description = "fewshot: tokens of one question with its choices (default ${DEFAULT-VALUE}).")
  int questionTokens;

  @Option(
      names = "--subjects",
      defaultValue = "4",
      description = "fewshot: subjects, each with its own block (default ${DEFAULT-VALUE}).")
  int subjects;

  @Option(
      names = "--questions",
      defaultValue = "24",
      description = "fewshot: questions per subject (default ${DEFAULT-VALUE}).")
  int questions;

  @Option(
      names = "--op-profile",
      description =
          "Also print where each runtime's time went in each workload (fewshot/shared and"
              + " fewshot/full apart), per tensor operation of the forward pass (wall time of each"
              + " TensorRuntime call in the timed pass, warm-up excluded; CPU ops are synchronous,"
              + " CUDA ones are not, so on CUDA the time lands on the op that waits).")
  boolean opProfile;

  @Option(
      names = "--export",
      paramLabel = "DIR",
      description =
          "Also write the checkpoint, fewshot.jsonl (each question's context, its 4 one-token"
              + " choices and evalh's log-likelihoods) and rolling.jsonl (each row's seq-len+1"
              + " tokens and evalh's summed log-likelihood of tokens[1:]) to DIR, for"
              + " bench/hf_baseline.py and bench/eager_pytorch.py (fewshot only).")
  Path export;

  private RandomLlama.Shape shape() {
    if (preset != null) {
      if (!preset.equals("llama3-8b")) {
        throw new IllegalArgumentException("unknown --preset " + preset + " (llama3-8b)");
      }
      return new RandomLlama.Shape(4096, 32, 32, 8, 14336, 128256, 8192);
    }
    return new RandomLlama.Shape(
        hidden, layers, heads, kvHeads, intermediate, vocab, Math.max(seqLen, 2048));
  }

  /** {@code --dtypes}, or {@code --dtype D} alone. */
  private List<String> entries() {
    boolean one = !model.dtype().trim().equalsIgnoreCase("auto");
    boolean list = spec.commandLine().getParseResult().hasMatchedOption("--dtypes");
    if (one && list) {
      throw model.usage("give --dtype or --dtypes, not both");
    }
    return one ? List.of(model.dtype().trim()) : dtypes;
  }

  /** One runtime's results per workload: items/s and MFU. */
  private record Result(String runtime, String workload, double itemsPerSec, double mfu) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    model.engineOptions(null); // usage errors before any work
    if (export != null && entries().size() > 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--export writes one dtype's log-likelihoods; give one --dtypes entry (or --dtype) with"
              + " it (got "
              + entries()
              + ")");
    }
    if (workloads.contains("fingerprint")) {
      if (workloads.size() > 1 || model.checkpointOrNull() == null) {
        throw new ParameterException(
            spec.commandLine(), "--workload fingerprint runs alone, on --ckpt DIR");
      }
      return fingerprint(DemoCheckpoint.resolve(model.checkpointOrNull()), out);
    }
    if (writeTo != null) {
      if (Files.exists(writeTo) && !isEmptyDirectory(writeTo)) {
        throw new ParameterException(
            spec.commandLine(),
            "--write-checkpoint "
                + writeTo
                + " exists and is not an empty folder; refusing to overwrite a checkpoint (name a"
                + " new folder)");
      }
      long t0 = System.nanoTime();
      RandomLlama.write(writeTo, shape(), 42);
      copyDemoTokenizer(writeTo);
      out.printf(
          Locale.ROOT,
          "wrote %s (%,d bytes of safetensors) in %.1f s%n",
          writeTo,
          Files.size(writeTo.resolve("model.safetensors")),
          (System.nanoTime() - t0) / 1e9);
      return 0;
    }
    List<String> entries = entries();
    String torch = model.torch();
    Path dir =
        model.checkpointOrNull() == null ? null : DemoCheckpoint.resolve(model.checkpointOrNull());
    Path tmp = null;
    if (dir == null) {
      tmp = Files.createTempDirectory("evalh-bench-");
      dir = RandomLlama.write(tmp, shape(), 42);
    }
    List<Result> results = new ArrayList<>();
    try {
      for (String entry : entries) {
        String dt = entry.trim();
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
          if (dt.equalsIgnoreCase("auto") && model.device().equalsIgnoreCase("cpu")) {
            dt = LoglikelihoodEngine.cpuDtype(ckpt, HostMemory.availableBytes());
          }
          try (TensorRuntime<?> rt =
              Runtimes.open(
                  torch, model.device(), dt, evalh.engine.checkpoint.DType.BF16, System.err)) {
            results.addAll(run(rt.info().runtime(), ckpt, rt, out));
          }
        }
      }
      summary(results, out);
      out.printf(
          Locale.ROOT,
          "peak resident memory of this process (VmHWM): %,d MiB%n",
          rssKb("VmHWM:") / 1024);
    } finally {
      if (tmp != null) {
        try (Stream<Path> s = Files.walk(tmp)) {
          s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
      }
    }
    return 0;
  }

  private static boolean isEmptyDirectory(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /**
   * The cost of the checkpoint fingerprint: once with an empty weight-hash cache (every weight byte
   * is read and hashed), then again with the cache just written (a stat per file).
   */
  private static int fingerprint(Path dir, PrintWriter out) throws java.io.IOException {
    Path cache = Files.createTempDirectory("evalh-fingerprint-");
    try {
      long bytes = 0;
      long t0 = System.nanoTime();
      String first;
      try (Checkpoint c = Checkpoint.open(dir, cache)) {
        first = c.fingerprint();
        for (Path f : c.tensors().values().stream().map(t -> t.file()).distinct().toList()) {
          bytes += Files.size(f);
        }
      }
      double hashed = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      String second;
      try (Checkpoint c = Checkpoint.open(dir, cache)) {
        second = c.fingerprint();
      }
      double cached = (System.nanoTime() - t1) / 1e9;
      if (!first.equals(second)) {
        throw new IllegalStateException("the fingerprint changed between two opens of " + dir);
      }
      out.printf(
          Locale.ROOT,
          "fingerprint %s of %s (%,d bytes of safetensors, %d cores): open with the weights hashed"
              + " %.2f s (%.2f GB/s), open with the hashes cached %.3f s%n",
          first,
          dir,
          bytes,
          Runtime.getRuntime().availableProcessors(),
          hashed,
          bytes / hashed / 1e9,
          cached);
      return 0;
    } finally {
      try (Stream<Path> s = Files.walk(cache)) {
        s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
      }
    }
  }

  private List<Result> run(String name, Checkpoint ckpt, TensorRuntime<?> rt, PrintWriter out)
      throws java.io.IOException {
    List<Result> results = new ArrayList<>();
    String label = name + "/" + rt.computeDtype();
    ModelConfig c = ckpt.config();
    int batchTokens =
        model.batchTokens() > 0
            ? model.batchTokens()
            : LoglikelihoodEngine.autoBatchTokens(c, rt.freeMemoryBytes(), rt.computeDtype());
    long rss0 = resetPeakRss();
    long t0 = System.nanoTime();
    OpProfile profile = opProfile ? new OpProfile() : null;
    Transformer<?> tf = load(ckpt, rt, profile);
    out.printf(Locale.ROOT, "== %s on %s: %s%n", label, rt.device(), rt.info().libtorchSource());
    out.printf(
        Locale.ROOT,
        "model: %s, %,d parameters (hidden %d, %d layers, %d/%d heads, mlp %d, vocab %d);"
            + " loaded in %.1f s, +%,d MiB peak RSS%n",
        c.architecture(),
        c.parameterCount(),
        c.hiddenSize(),
        c.numLayers(),
        c.numHeads(),
        c.numKvHeads(),
        c.intermediateSize(),
        c.vocabSize(),
        (System.nanoTime() - t0) / 1e9,
        (rssKb("VmHWM:") - rss0) / 1024);
    out.printf(
        Locale.ROOT, "%d rows x %d tokens, batch budget %d tokens%n", rows, seqLen, batchTokens);
    MatmulPeak mp = (MatmulPeak) rt;
    double peak = mp.measureMatmulPeak(2048, 5);
    out.printf(
        Locale.ROOT,
        "measured matmul peak (%s, 2048^3, best of 5): %.1f GFLOP/s%n",
        rt.computeDtype(),
        peak / 1e9);
    out.flush();
    int v = c.vocabSize();
    SplittableRandom rnd = new SplittableRandom(7);
    for (String w : workloads) {
      List<TokenRequest> reqs = requests(w, rnd, v);
      int maxLen = Math.max(seqLen, shotsTokens + questionTokens + 1);
      boolean fewshot = w.equals("fewshot") || w.equals("fewshot-shared");
      int items = fewshot ? reqs.size() / 4 : reqs.size();
      for (boolean share :
          w.equals("fewshot") ? new boolean[] {true, false} : new boolean[] {true}) {
        new TokenScorer(tf, maxLen, batchTokens, share)
            .score(reqs.subList(0, Math.min(reqs.size(), 8)), Progress.NONE); // warm-up
        TokenScorer scorer = new TokenScorer(tf, maxLen, batchTokens, share);
        long rssBefore = resetPeakRss();
        if (profile != null) {
          profile.reset();
        }
        long t1 = System.nanoTime();
        List<TokenScorer.TokenScores> got = scorer.score(reqs, Progress.NONE);
        double secs = (System.nanoTime() - t1) / 1e9;
        TokenScorer.Counters k = scorer.counters();
        double flops = modelFlops(c, k);
        String wname = fewshot ? (share ? "fewshot/shared" : "fewshot/full") : w;
        long rssPeak = rssKb("VmHWM:");
        out.printf(
            Locale.ROOT,
            "%-15s %7.2f s %8.2f items/s %,9.0f fwd tok/s  %7.1f GFLOP/s  MFU %5.1f%%  padding %4.1f%%"
                + "  peak RSS +%,d MiB over %,d MiB%n",
            wname,
            secs,
            items / secs,
            k.forwardTokens() / secs,
            flops / secs / 1e9,
            100 * flops / secs / peak,
            100.0 * (k.paddedTokens() - k.forwardTokens()) / Math.max(1, k.paddedTokens()),
            (rssPeak - rssBefore) / 1024,
            rssBefore / 1024);
        results.add(new Result(label, wname, items / secs, flops / secs / peak));
        if (profile != null) {
          profile.print(label + " " + wname, out);
        }
        if (fewshot) {
          out.printf(
              Locale.ROOT,
              "%-15s forward tokens per question %.1f = %.2fx the question's own %d tokens%n",
              "",
              (double) k.forwardTokens() / items,
              (double) k.forwardTokens() / items / questionTokens,
              questionTokens);
          if (share && export != null) {
            exportFewshot(ckpt.dir(), reqs, got);
          }
        }
        if (w.equals("rolling") && export != null) {
          exportRolling(ckpt.dir(), reqs, got);
        }
        long[] gpu = rt.deviceMemoryBytes();
        if (gpu != null) {
          out.printf(
              Locale.ROOT,
              "%-15s peak GPU memory %,d MiB of %,d MiB on %s (in use after the workload,"
                  + " cudaMemGetInfo: libtorch's caching allocator keeps what it reserved; other"
                  + " processes included)%n",
              "",
              (gpu[1] - gpu[0]) >> 20,
              gpu[1] >> 20,
              rt.device());
        }
        out.flush();
      }
    }
    double peak2 = mp.measureMatmulPeak(2048, 5);
    out.printf(Locale.ROOT, "matmul peak re-measured after the runs: %.1f GFLOP/s%n", peak2 / 1e9);
    return results;
  }

  /** The model on {@code rt}, through {@code profile}'s timing proxy where there is one. */
  private static <T> Transformer<T> load(Checkpoint ckpt, TensorRuntime<T> rt, OpProfile profile) {
    return Transformer.load(ckpt, profile == null ? rt : profile.wrap(rt));
  }

  /** Items/s and MFU of every runtime per workload, as ratios to the first runtime. */
  private static void summary(List<Result> results, PrintWriter out) {
    if (results.isEmpty()) {
      return;
    }
    String base = results.get(0).runtime();
    out.println("== summary (ratio to " + base + ")");
    java.util.Map<String, Result> first = new java.util.LinkedHashMap<>();
    for (Result r : results) {
      if (r.runtime().equals(base)) {
        first.putIfAbsent(r.workload(), r);
      }
    }
    for (Result r : results) {
      Result b = first.get(r.workload());
      out.printf(
          Locale.ROOT,
          "%-18s %-15s %8.2f items/s (x%.2f)  MFU %5.1f%% (x%.2f)%n",
          r.runtime(),
          r.workload(),
          r.itemsPerSec(),
          b == null ? Double.NaN : r.itemsPerSec() / b.itemsPerSec(),
          100 * r.mfu(),
          b == null ? Double.NaN : r.mfu() / b.mfu());
    }
  }

  /** The demo checkpoint's tokenizer, so that evalh score can run on a written checkpoint. */
  private static void copyDemoTokenizer(Path dir) throws java.io.IOException {
    for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
      try (java.io.InputStream in = BenchCommand.class.getResourceAsStream("/evalh/demo/" + f)) {
        if (in == null) {
          throw new IllegalStateException("demo tokenizer file " + f + " missing from the jar");
        }
        Files.copy(in, dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private List<TokenRequest> requests(String workload, SplittableRandom rnd, int vocab) {
    List<TokenRequest> out = new ArrayList<>();
    if (workload.equals("fewshot") || workload.equals("fewshot-shared")) {
      for (int s = 0; s < subjects; s++) {
        int[] block = rnd.ints(shotsTokens, 0, vocab).toArray();
        for (int q = 0; q < questions; q++) {
          int[] ctx = Arrays.copyOf(block, shotsTokens + questionTokens);
          System.arraycopy(
              rnd.ints(questionTokens, 0, vocab).toArray(), 0, ctx, shotsTokens, questionTokens);
          for (int choice = 0; choice < 4; choice++) {
            out.add(new TokenRequest(ctx, new int[] {rnd.nextInt(vocab)}, false));
          }
        }
      }
      return out;
    }
    for (int r = 0; r < rows; r++) {
      int[] ids = rnd.ints(seqLen + 1, 0, vocab).toArray();
      switch (workload) {
        case "rolling" ->
            out.add(
                new TokenRequest(
                    new int[] {ids[0]}, Arrays.copyOfRange(ids, 1, seqLen + 1), false));
        case "mc" ->
            out.add(
                new TokenRequest(
                    Arrays.copyOfRange(ids, 0, seqLen), new int[] {ids[seqLen]}, false));
        default ->
            throw new IllegalArgumentException(
                "unknown workload " + workload + " (rolling, mc, fewshot, fewshot-shared)");
      }
    }
    return out;
  }

  /**
   * Model FLOPs of what was computed: 2 x (non-embedding matmul weights) per forward token, causal
   * attention (QK^T and AV over the visible keys only), and the LM head at the scored positions.
   *
   * @param k {@link TokenScorer#counters()}
   */
  static double modelFlops(ModelConfig c, TokenScorer.Counters k) {
    return (double) c.layerMatmulFlopsPerToken() * k.forwardTokens()
        + 4.0 * k.attentionPairs() * c.numHeads() * c.headDim() * c.numLayers()
        + 2.0 * c.hiddenSize() * (double) c.vocabSize() * k.tokensScored();
  }

  /** A field of /proc/self/status in KiB (VmRSS, VmHWM), or -1 where there is none. */
  static long rssKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Collects garbage and resets Linux's resident-memory high-water mark (clear_refs 5), so VmHWM
   * afterwards is the peak of the workload alone; returns the resident size at the start.
   */
  static long resetPeakRss() {
    System.gc();
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or not allowed: VmHWM then covers the whole process
    }
    return rssKb("VmRSS:");
  }

  /** The checkpoint's files, copied into {@link #export} once per run. */
  private void exportCheckpoint(Path ckpt) throws java.io.IOException {
    if (exportedCheckpoint) {
      return;
    }
    Files.createDirectories(export);
    try (Stream<Path> files = Files.list(ckpt)) {
      for (Path f : files.toList()) {
        Files.copy(
            f, export.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    exportedCheckpoint = true;
  }

  private boolean exportedCheckpoint;

  /**
   * rolling.jsonl for bench/hf_baseline.py: per row {@code tokens} (the row's seq-len+1 ids) and
   * {@code loglikelihood}, evalh's summed log-likelihood of tokens[1:] given the tokens before.
   */
  private void exportRolling(Path ckpt, List<TokenRequest> reqs, List<TokenScorer.TokenScores> got)
      throws java.io.IOException {
    exportCheckpoint(ckpt);
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < reqs.size(); i++) {
      TokenRequest r = reqs.get(i);
      double ll = got.get(i).sum();
      if (!Double.isFinite(ll)) {
        throw new IllegalStateException("rolling row " + i + ": non-finite log-likelihood " + ll);
      }
      var o = json.createObjectNode();
      var tokens = o.putArray("tokens");
      Arrays.stream(r.shared()).forEach(tokens::add);
      Arrays.stream(r.continuation()).forEach(tokens::add);
      o.put("loglikelihood", ll);
      sb.append(json.writeValueAsString(o)).append('\n');
    }
    AtomicFiles.writeString(export.resolve("rolling.jsonl"), sb.toString());
  }

  /** The checkpoint, items and evalh's per-choice log-likelihoods, for bench/hf_baseline.py. */
  private void exportFewshot(Path ckpt, List<TokenRequest> reqs, List<TokenScorer.TokenScores> got)
      throws java.io.IOException {
    exportCheckpoint(ckpt);
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < reqs.size(); i += 4) {
      var o = json.createObjectNode();
      var ctx = o.putArray("context");
      Arrays.stream(reqs.get(i).shared()).forEach(ctx::add);
      var conts = o.putArray("continuations");
      var lls = o.putArray("loglikelihoods");
      for (int j = i; j < i + 4; j++) {
        conts.add(reqs.get(j).continuation()[0]);
        lls.add(got.get(j).sum());
      }
      sb.append(json.writeValueAsString(o)).append('\n');
    }
    AtomicFiles.writeString(export.resolve("fewshot.jsonl"), sb.toString());
  }
}
