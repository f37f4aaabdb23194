package evalh.harness.engine;

import evalh.harness.checkpoint.Checkpoint;
import evalh.harness.checkpoint.ModelConfig;
import evalh.harness.model.Transformer;
import evalh.harness.runtime.DjlRuntime;
import evalh.harness.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The {@link Evaluator} for HF decoder checkpoints on DJL/PyTorch. */
public final class LoglikelihoodEngine implements Evaluator {
  private final Checkpoint checkpoint;
  private final DjlRuntime runtime;
  private final Transformer<?> model;
  private final TextTokenizer tokenizer;
  private final EngineOptions options;
  private final boolean addBos;
  private final int maxLength;
  private final RequestEncoder encoder;
  private final String checkpointName;
  private final TokenScorer scorer;
  private final int batchTokens;

  private LoglikelihoodEngine(
      Checkpoint checkpoint,
      DjlRuntime runtime,
      Transformer<?> model,
      TextTokenizer tokenizer,
      EngineOptions options,
      String checkpointName) {
    this.checkpoint = checkpoint;
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
    Path dir = DemoCheckpoint.resolve(ckpt);
    Checkpoint checkpoint = Checkpoint.open(dir);
    TextTokenizer tokenizer = null;
    DjlRuntime runtime = null;
    try {
      tokenizer = TextTokenizer.load(dir);
      runtime = DjlRuntime.open(options.device(), options.dtype());
      Transformer<?> model = Transformer.load(checkpoint, runtime);
      return new LoglikelihoodEngine(checkpoint, runtime, model, tokenizer, options, ckpt);
    } catch (RuntimeException e) {
      if (runtime != null) {
        runtime.close();
      }
      if (tokenizer != null) {
        tokenizer.close();
      }
      checkpoint.close();
      throw e;
    }
  }

  /**
   * {@code --batch-size auto}: a token budget that uses a quarter of the free memory for
   * activations, estimated per token as every layer's kept hidden state plus one layer's
   * temporaries (about 12 hidden and 4 MLP vectors); the budget halves on out-of-memory.
   */
  static int autoBatchTokens(ModelConfig c, long freeBytes, String dtype) {
    long bytes = dtype.equals("float16") ? 2 : 4;
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

  @Override
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** The encoder that maps text requests to tokens with this engine's BOS policy. */
  public RequestEncoder encoder() {
    return encoder;
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

  /** What was computed since open. */
  public TokenScorer.Counters counters() {
    return scorer.counters();
  }

  @Override
  public Map<String, Object> metadata() {
    ModelConfig c = checkpoint.config();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("checkpoint", checkpointName);
    m.put("checkpoint_dir", checkpoint.dir().toString());
    m.put("checkpoint_fingerprint", checkpoint.fingerprint());
    m.put("architecture", c.architecture());
    m.put("parameters", c.parameterCount());
    m.put("device", runtime.device());
    m.put("dtype", runtime.computeDtype());
    m.put("stored_dtypes", checkpoint.storedDtypes().stream().map(Enum::name).toList());
    m.put("weight_conversion", runtime.conversions());
    m.put("add_bos", addBos);
    m.put("bos_policy", options.addBos() == null ? "tokenizer default" : "forced by --add-bos");
    m.put("prefix_token_id", prefixToken());
    m.put("rolling_prefix", options.rollingPrefix().name().toLowerCase(java.util.Locale.ROOT));
    m.put("max_length", maxLength);
    if (options.batchSequences() > 0) {
      m.put("batch_size", options.batchSequences());
    }
    m.put("batch_tokens", batchTokens == Integer.MAX_VALUE ? null : batchTokens);
    m.put("batch_tokens_auto", options.batchTokens() <= 0 && options.batchSequences() <= 0);
    TokenScorer.Budget budget = scorer.budget();
    m.put(
        "batch_tokens_after_oom",
        budget.batchTokens() == Integer.MAX_VALUE ? null : budget.batchTokens());
    m.put("oom_budget_cuts", budget.cuts());
    m.put("prefix_sharing", options.sharePrefixes());
    TokenScorer.Counters counters = counters();
    m.put("tokens_scored", counters.tokensScored());
    m.put("forward_tokens", counters.forwardTokens());
    m.put("padded_tokens", counters.paddedTokens());
    m.put("padding_waste", counters.paddingWaste());
    return m;
  }

  @Override
  public void close() {
    runtime.close();
    tokenizer.close();
    checkpoint.close();
  }
}
