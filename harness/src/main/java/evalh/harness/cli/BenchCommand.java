package evalh.harness.cli;

import evalh.harness.checkpoint.Checkpoint;
import evalh.harness.checkpoint.ModelConfig;
import evalh.harness.engine.Progress;
import evalh.harness.engine.TokenRequest;
import evalh.harness.engine.TokenScorer;
import evalh.harness.model.RandomLlama;
import evalh.harness.model.Transformer;
import evalh.harness.runtime.DjlRuntime;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
      "'mc' scores one position per row (multiple-choice style)."
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

  @Option(
      names = "--batch-tokens",
      defaultValue = "4096",
      description = "Token budget per forward batch (default ${DEFAULT-VALUE}).")
  int batchTokens;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto|cpu|cuda[:N] (default ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--dtype",
      defaultValue = "auto",
      description = "auto|float32|float16 (default ${DEFAULT-VALUE}).")
  String dtype;

  @Option(
      names = "--workload",
      defaultValue = "rolling,mc",
      split = ",",
      description = "Workloads to run: rolling, mc (default ${DEFAULT-VALUE}).")
  List<String> workloads;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = Files.createTempDirectory("evalh-bench-");
    try {
      RandomLlama.write(
          dir,
          new RandomLlama.Shape(
              hidden, layers, heads, kvHeads, intermediate, vocab, Math.max(seqLen, 2048)),
          42);
      try (Checkpoint ckpt = Checkpoint.open(dir);
          DjlRuntime rt = DjlRuntime.open(device, dtype)) {
        ModelConfig c = ckpt.config();
        Transformer<?> model = Transformer.load(ckpt, rt);
        out.printf(
            "model: random Llama, %,d parameters (hidden %d, %d layers, %d/%d heads, mlp %d, vocab %d)%n",
            c.parameterCount(), hidden, layers, heads, kvHeads, intermediate, vocab);
        out.printf(
            "device %s, dtype %s, %d rows x %d tokens, batch budget %d tokens%n",
            rt.device(), rt.computeDtype(), rows, seqLen, batchTokens);
        double peak = rt.measureMatmulPeak(2048, 5);
        out.printf(
            "measured matmul peak (%s, 2048^3, best of 5): %.1f GFLOP/s%n",
            rt.computeDtype(), peak / 1e9);
        out.flush();
        SplittableRandom rnd = new SplittableRandom(7);
        for (String w : workloads) {
          List<TokenRequest> reqs = requests(w, rnd);
          TokenScorer warm = new TokenScorer(model, seqLen, batchTokens);
          warm.score(
              reqs.subList(0, Math.max(1, Math.min(reqs.size(), batchTokens / seqLen))),
              Progress.NONE);
          TokenScorer scorer = new TokenScorer(model, seqLen, batchTokens);
          long t0 = System.nanoTime();
          scorer.score(reqs, Progress.NONE);
          double secs = (System.nanoTime() - t0) / 1e9;
          long[] k = scorer.counters();
          double flops = modelFlops(c, reqs, k[0]);
          out.printf(
              "%-8s %6.2f s  %,9.0f forward tokens/s  %,9.0f scored tokens/s  %7.1f GFLOP/s  MFU %5.1f%%%n",
              w, secs, k[1] / secs, k[0] / secs, flops / secs / 1e9, 100 * flops / secs / peak);
          out.flush();
        }
        double peak2 = rt.measureMatmulPeak(2048, 5);
        out.printf("matmul peak re-measured after the runs: %.1f GFLOP/s%n", peak2 / 1e9);
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  private List<TokenRequest> requests(String workload, SplittableRandom rnd) {
    List<TokenRequest> out = new ArrayList<>();
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
            throw new IllegalArgumentException("unknown workload " + workload + " (rolling, mc)");
      }
    }
    return out;
  }

  /**
   * Model FLOPs: 2 x (non-embedding matmul weights) per forward token, causal attention (QK^T and
   * AV over the visible keys only), and the LM head at the scored positions.
   */
  static double modelFlops(ModelConfig c, List<TokenRequest> reqs, long scored) {
    double f = 0;
    for (TokenRequest r : reqs) {
      long t = r.shared().length + r.continuation().length - 1;
      f += (double) c.layerMatmulFlopsPerToken() * t;
      double pairs = t * (t + 1) / 2.0;
      f += 4.0 * pairs * c.numHeads() * c.headDim() * c.numLayers();
    }
    f += 2.0 * c.hiddenSize() * (double) c.vocabSize() * scored;
    return f;
  }
}
