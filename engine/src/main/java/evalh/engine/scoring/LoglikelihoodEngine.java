package evalh.engine.scoring;

import evalh.engine.checkpoint.Checkpoint;
import evalh.engine.checkpoint.DType;
import evalh.engine.checkpoint.ModelConfig;
import evalh.engine.checkpoint.TensorInfo;
import evalh.engine.model.Transformer;
import evalh.engine.runtime.CpuDtype;
import evalh.engine.runtime.HostMemory;
import evalh.engine.runtime.Runtimes;
import evalh.engine.runtime.TensorRuntime;
import evalh.engine.tokenizer.SharedTokenizers;
import evalh.engine.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The {@link Evaluator} for HF decoder checkpoints on a {@link TensorRuntime}. */
public final class LoglikelihoodEngine implements Evaluator {
  private final Checkpoint checkpoint;
  private final TensorRuntime<?> runtime;
  private final Transformer<?> model;
  private final TextTokenizer tokenizer;
  private final EngineOptions options;
  private final boolean addBos;
  private final int maxLength;
  private final RequestEncoder encoder;
  private final String checkpointName;
  private final TokenScorer scorer;
  private final int batchTokens;
  private final boolean ownsTokenizer;

  private LoglikelihoodEngine(
      Checkpoint checkpoint,
      TensorRuntime<?> runtime,
      Transformer<?> model,
      TextTokenizer tokenizer,
      EngineOptions options,
      String checkpointName,
      boolean ownsTokenizer) {
    this.checkpoint = checkpoint;
    this.ownsTokenizer = ownsTokenizer;
    this.runtime = runtime;
    this.model = model;
    this.tokenizer = tokenizer;
    this.options = options;
    this.checkpointName = checkpointName;
    ModelConfig c = checkpoint.config();
    this.maxLength = options.maxLength() > 0 ? options.maxLength() : c.maxPositionEmbeddings();
    if (options.addBos() != null && options.addBos() && tokenizer.bosId().isEmpty()) {
      throw new IllegalArgumentException(
          "--add-bos true, but the tokenizer in " + checkpoint.dir() + " has no BOS token");
    }
    this.addBos = options.addBos() != null ? options.addBos() : tokenizer.addsBos();
    this.encoder = new RequestEncoder(tokenizer, addBos, prefixToken(), maxLength);
    if (options.batchTokens() > 0) {
      this.batchTokens = options.batchTokens();
    } else if (options.batchSequences() > 0) {
      this.batchTokens = Integer.MAX_VALUE; // N sequences, as long as they are (lm-eval)
    } else {
      this.batchTokens = autoBatchTokens(c, runtime.freeMemoryBytes(), runtime.computeDtype());
    }
    this.scorer =
        new TokenScorer(
            model, maxLength, batchTokens, options.batchSequences(), options.sharePrefixes());
  }

  /**
   * Opens a checkpoint directory ({@code demo}: the bundled tiny random Llama), validates it,
   * uploads the weights and loads its tokenizer.
   */
  public static LoglikelihoodEngine open(String ckpt, EngineOptions options) {
    return open(ckpt, options, null);
  }

  /**
   * {@link #open(String, EngineOptions)}, taking the tokenizer from {@code shared} (a sweep's
   * checkpoints with identical tokenizer files load it once); {@code null}: load and own it.
   */
  public static LoglikelihoodEngine open(
      String ckpt, EngineOptions options, SharedTokenizers shared) {
    Path dir = DemoCheckpoint.resolve(ckpt);
    Checkpoint checkpoint = Checkpoint.open(dir);
    TextTokenizer tokenizer = null;
    TensorRuntime<?> runtime = null;
    try {
      tokenizer = shared == null ? TextTokenizer.load(dir) : shared.get(dir);
      String dtype = options.dtype();
      boolean auto = dtype.trim().equalsIgnoreCase("auto");
      String device = options.device().trim().toLowerCase(Locale.ROOT);
      if (auto && device.equals("cpu")) {
        dtype = cpuDtype(checkpoint, HostMemory.availableBytes());
      }
      runtime =
          Runtimes.open(
              options.torch(), options.device(), dtype, mainDtype(checkpoint), System.err);
      if (auto && dtype.equals(options.dtype()) && runtime.device().equals("cpu")) {
        // --device auto found no GPU: the CPU's choice, on the same libtorch
        String want = cpuDtype(checkpoint, runtime.freeMemoryBytes());
        if (!want.equals(runtime.computeDtype())) {
          runtime.close();
          runtime = null;
          runtime = Runtimes.open(options.torch(), "cpu", want, mainDtype(checkpoint), System.err);
        }
      }
      requireMemory(
          checkpoint, runtime.computeDtype(), runtime.freeMemoryBytes(), runtime.device());
      Transformer<?> model = Transformer.load(checkpoint, runtime);
      return new LoglikelihoodEngine(
          checkpoint, runtime, model, tokenizer, options, ckpt, shared == null);
    } catch (RuntimeException e) {
      if (runtime != null) {
        runtime.close();
      }
      if (tokenizer != null && shared == null) {
        tokenizer.close();
      }
      checkpoint.close();
      throw e;
    }
  }

  /** The dtype most of the checkpoint's bytes are stored in. */
  static DType mainDtype(Checkpoint c) {
    return DType.mostBytes(c.tensors().values());
  }

  /** {@code --dtype auto} on the CPU ({@link CpuDtype#choose}) for this checkpoint. */
  public static String cpuDtype(Checkpoint c, long free) {
    return CpuDtype.choose(
        CpuDtype.hasAmxBf16(),
        mainDtype(c),
        neededBytes(c, "float32") <= free,
        neededBytes(c, "bfloat16") <= free);
  }

  /** Bytes of weights in {@code dtype}, plus a margin for activations (5% and 512 MiB). */
  static long neededBytes(Checkpoint c, String dtype) {
    long elements = 0;
    for (TensorInfo t : c.tensors().values()) {
      elements += t.elementCount();
    }
    long weights = elements * (dtype.equals("float32") ? 4 : 2);
    return weights + weights / 20 + (512L << 20);
  }

  /**
   * Refuses, before any weight is loaded, a checkpoint that cannot fit the free memory in the
   * chosen dtype, naming the numbers and a dtype that would fit (instead of being OOM-killed).
   */
  static void requireMemory(Checkpoint c, String dtype, long available, String device) {
    long need = neededBytes(c, dtype);
    if (need <= available) {
      return;
    }
    String hint = "";
    for (String d : List.of("bfloat16", "float16")) {
      long n = neededBytes(c, d);
      if (!d.equals(dtype) && n <= available && dtype.equals("float32")) {
        hint = "; try --dtype " + d + " (needs ~" + gib(n) + ")";
        break;
      }
    }
    throw new IllegalArgumentException(
        String.format(
            Locale.ROOT,
            "%s (%,d parameters) needs ~%s in %s (weights plus activations), but only %s is"
                + " available on %s%s",
            c.dir(),
            c.config().parameterCount(),
            gib(need),
            dtype,
            gib(available),
            device,
            hint));
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }

  /**
   * {@code --batch-size auto}: a token budget that uses a quarter of the free memory for
   * activations, estimated per token as every layer's kept hidden state plus one layer's
   * temporaries (about 12 hidden and 4 MLP vectors); the budget halves on out-of-memory.
   */
  public static int autoBatchTokens(ModelConfig c, long freeBytes, String dtype) {
    long bytes = dtype.equals("float32") ? 4 : 2;
    long perToken =
        bytes * ((long) (c.numLayers() + 12) * c.hiddenSize() + 4L * c.intermediateSize());
    long tokens = freeBytes / 4 / Math.max(1, perToken);
    return (int) Math.max(256, Math.min(131072, tokens));
  }

  /** lm-eval HFLM's {@code prefix_token_id}: BOS, else EOS. */
  private int prefixToken() {
    if (tokenizer.bosId().isPresent()) {
      return tokenizer.bosId().getAsInt();
    }
    if (tokenizer.eosId().isPresent()) {
      return tokenizer.eosId().getAsInt();
    }
    throw new IllegalArgumentException(
        "the tokenizer in " + checkpoint.dir() + " has neither BOS nor EOS; no prefix token");
  }

  private int rollingPrefix() {
    if (options.rollingPrefix() == EngineOptions.RollingPrefix.EOS) {
      if (tokenizer.eosId().isEmpty()) {
        throw new IllegalArgumentException("--rolling-prefix eos, but the tokenizer has no EOS");
      }
      return tokenizer.eosId().getAsInt();
    }
    return prefixToken();
  }

  public int maxLength() {
    return maxLength;
  }

  public boolean addBos() {
    return addBos;
  }

  public Transformer<?> model() {
    return model;
  }

  /** The tokenizer the model is scored with. */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public List<LoglikelihoodResult> loglikelihood(
      List<ContinuationRequest> requests, Progress progress) {
    List<RequestEncoder.Split> splits = new ArrayList<>(requests.size());
    List<TokenRequest> tokens = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      try {
        RequestEncoder.Split s = encoder.split(requests.get(i));
        splits.add(s);
        tokens.add(encoder.tokens(s));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("request " + i + ": " + e.getMessage(), e);
      }
    }
    List<TokenScorer.TokenScores> scores = scoreTokens(tokens, progress);
    List<LoglikelihoodResult> out = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      TokenScorer.TokenScores s = scores.get(i);
      out.add(
          new LoglikelihoodResult(
              s.sum(),
              s.greedy(),
              splits.get(i).context(),
              splits.get(i).continuation(),
              s.logprobs(),
              tokens.get(i).truncated()));
    }
    return out;
  }

  @Override
  public List<RollingResult> loglikelihoodRolling(List<String> documents, Progress progress) {
    int prefix = rollingPrefix();
    List<RollingResult> out = new ArrayList<>(documents.size());
    // Tokenize the next chunk of documents on another thread while the model scores this one.
    ExecutorService pool =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "evalh-tokenize");
              t.setDaemon(true);
              return t;
            });
    try {
      int chunk = ROLLING_CHUNK_DOCS;
      Future<int[][]> next = pool.submit(() -> tokenizer.encodeAll(slice(documents, 0, chunk)));
      for (int start = 0; start < documents.size(); start += chunk) {
        int[][] ids = next.get();
        int after = start + chunk;
        if (after < documents.size()) {
          next = pool.submit(() -> tokenizer.encodeAll(slice(documents, after, chunk)));
        }
        out.addAll(scoreRolling(ids, prefix, progress));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while tokenizing", e);
    } catch (ExecutionException e) {
      throw new IllegalArgumentException(
          "tokenizing documents failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  /** Documents per tokenization chunk of {@link #loglikelihoodRolling}. */
  static final int ROLLING_CHUNK_DOCS = 256;

  private static List<String> slice(List<String> docs, int start, int n) {
    return docs.subList(start, Math.min(docs.size(), start + n));
  }

  /** lm-eval's disjoint windows of every document, all scored together; sums per document. */
  private List<RollingResult> scoreRolling(int[][] docs, int prefix, Progress progress) {
    List<TokenRequest> windows = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    int[] nWindows = new int[docs.length];
    for (int d = 0; d < docs.length; d++) {
      for (RollingWindows.Window w : RollingWindows.of(docs[d], prefix, maxLength, 1)) {
        windows.add(TokenRequest.of(w.context(), w.predicted(), maxLength));
        owners.add(d);
        nWindows[d]++;
      }
    }
    List<TokenScorer.TokenScores> scores = scoreTokens(windows, progress);
    double[] ll = new double[docs.length];
    for (int i = 0; i < scores.size(); i++) {
      ll[owners.get(i)] += scores.get(i).sum();
    }
    List<RollingResult> out = new ArrayList<>(docs.length);
    for (int d = 0; d < docs.length; d++) {
      out.add(new RollingResult(ll[d], docs[d].length, nWindows[d]));
    }
    return out;
  }

  /** Scores token requests directly (no text), in request order. */
  public List<TokenScorer.TokenScores> scoreTokens(List<TokenRequest> requests, Progress progress) {
    VocabularyCheck.check(
        requests, checkpoint.config().vocabSize(), tokenizer.size(), checkpoint.dir());
    return scorer.score(requests, progress);
  }

  @Override
  public EngineStats stats() {
    TokenScorer.Counters k = scorer.counters();
    TokenScorer.Budget b = scorer.budget();
    return new EngineStats(
        batchTokens,
        Math.max(0, options.batchSequences()),
        options.batchTokens() <= 0 && options.batchSequences() <= 0,
        b.batchTokens(),
        b.cuts(),
        k.tokensScored(),
        k.forwardTokens(),
        k.paddedTokens());
  }

  @Override
  public EngineFingerprint fingerprint() {
    ModelConfig c = checkpoint.config();
    TensorRuntime.RuntimeInfo info = runtime.info();
    return new EngineFingerprint(
        checkpointName,
        checkpoint.dir().toString(),
        checkpoint.fingerprint(),
        c.architecture(),
        c.parameterCount(),
        runtime.device(),
        runtime.computeDtype(),
        checkpoint.storedDtypes().stream().map(Enum::name).toList(),
        runtime.conversions(),
        addBos,
        options.addBos() == null ? "tokenizer default" : "forced by --add-bos",
        prefixToken(),
        options.rollingPrefix().name().toLowerCase(Locale.ROOT),
        maxLength,
        options.sharePrefixes(),
        info.runtime(),
        info.libtorchPath(),
        info.libtorchVersion(),
        info.cuda(),
        info.libtorchSource());
  }

  @Override
  public void close() {
    runtime.close();
    if (ownsTokenizer) {
      tokenizer.close();
    }
    checkpoint.close();
  }
}
