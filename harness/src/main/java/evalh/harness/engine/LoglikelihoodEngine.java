package evalh.harness.engine;

import evalh.harness.checkpoint.Checkpoint;
import evalh.harness.checkpoint.ModelConfig;
import evalh.harness.engine.BatchPlanner.Batch;
import evalh.harness.engine.BatchPlanner.Row;
import evalh.harness.engine.BatchPlanner.Slot;
import evalh.harness.model.PackedRow;
import evalh.harness.model.Transformer;
import evalh.harness.runtime.DjlRuntime;
import evalh.harness.runtime.TensorRuntime.TargetScores;
import evalh.harness.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
  private long tokensScored;
  private long forwardTokens;
  private long paddedTokens;

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
    List<TokenScores> scores = scoreTokens(tokens, progress);
    List<LoglikelihoodResult> out = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      TokenScores s = scores.get(i);
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
    List<TokenRequest> windows = new ArrayList<>();
    int[] owner = new int[0];
    List<Integer> owners = new ArrayList<>();
    int[] nTokens = new int[documents.size()];
    int[] nWindows = new int[documents.size()];
    for (int d = 0; d < documents.size(); d++) {
      int[] ids = tokenizer.encode(documents.get(d));
      nTokens[d] = ids.length;
      for (RollingWindows.Window w : RollingWindows.of(ids, prefix, maxLength, 1)) {
        windows.add(TokenRequest.of(w.context(), w.predicted(), maxLength));
        owners.add(d);
        nWindows[d]++;
      }
    }
    owner = owners.stream().mapToInt(Integer::intValue).toArray();
    List<TokenScores> scores = scoreTokens(windows, progress == null ? Progress.NONE : progress);
    double[] ll = new double[documents.size()];
    for (int i = 0; i < scores.size(); i++) {
      ll[owner[i]] += scores.get(i).sum();
    }
    List<RollingResult> out = new ArrayList<>();
    for (int d = 0; d < documents.size(); d++) {
      out.add(new RollingResult(ll[d], nTokens[d], nWindows[d]));
    }
    return out;
  }

  /** Per-request token scores. */
  public record TokenScores(double[] logprobs, boolean greedy) {
    public double sum() {
      double s = 0;
      for (double v : logprobs) {
        s += v;
      }
      return s;
    }
  }

  /** Scores token requests: packs, batches longest-first, returns in request order. */
  public List<TokenScores> scoreTokens(List<TokenRequest> requests, Progress progress) {
    TokenScores[] out = new TokenScores[requests.size()];
    List<Row> rows = BatchPlanner.rows(requests, maxLength);
    for (Batch batch : BatchPlanner.batches(rows, Math.max(1, options.batchTokens()))) {
      List<PackedRow> packed = batch.rows().stream().map(Row::row).toList();
      TargetScores ts = model.score(packed);
      int offset = 0;
      int done = 0;
      for (Row row : batch.rows()) {
        for (Slot slot : row.slots()) {
          double[] lp = new double[slot.count()];
          boolean greedy = true;
          for (int j = 0; j < slot.count(); j++) {
            int k = offset + slot.firstTarget() + j;
            lp[j] = ts.logprob()[k];
            greedy &= ts.argmax()[k] == row.row().targets()[slot.firstTarget() + j];
          }
          out[slot.request()] = new TokenScores(lp, greedy);
          done++;
        }
        offset += row.row().targets().length;
      }
      synchronized (this) {
        tokensScored += offset;
        forwardTokens += batch.realTokens();
        paddedTokens += batch.paddedTokens();
      }
      progress.advance(done, batch.realTokens());
    }
    return List.of(out);
  }

  /** Counters since open: scored targets, real forward tokens, padded forward tokens. */
  public synchronized long[] counters() {
    return new long[] {tokensScored, forwardTokens, paddedTokens};
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
    m.put("batch_tokens", options.batchTokens());
    long[] counters = counters();
    m.put("tokens_scored", counters[0]);
    m.put("forward_tokens", counters[1]);
    m.put("padded_tokens", counters[2]);
    return m;
  }

  @Override
  public void close() {
    runtime.close();
    tokenizer.close();
    checkpoint.close();
  }
}
