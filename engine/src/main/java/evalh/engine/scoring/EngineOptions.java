package evalh.engine.scoring;

/**
 * How the engine runs and which lm-eval conventions it follows.
 *
 * @param torch the libtorch: a torch package or libtorch lib/ folder, {@code bundled}, or null to
 *     search ({@code EVALH_TORCH}, python3's torch, the bundled CPU build)
 * @param device {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}
 * @param dtype {@code auto}, {@code float32}, {@code bfloat16} or {@code float16} (compute dtype)
 * @param addBos {@code null} follows the tokenizer (prepend BOS when its post-processor adds one,
 *     as lm-eval &gt;= 0.4.9.2); {@code true}/{@code false} force it
 * @param maxLength context window for left truncation; 0 means the checkpoint's {@code
 *     max_position_embeddings}
 * @param batchTokens token budget of one forward batch (padded tokens, {@code --batch-tokens}); 0
 *     or less: none when {@code batchSequences} is set, else sized from the free memory ({@code
 *     --batch-size auto})
 * @param batchSequences at most this many sequences (rows) per forward batch, as lm-eval's {@code
 *     --batch-size N}; 0 or less: no limit
 * @param rollingPrefix the token that starts the first rolling window
 * @param sharePrefixes run long common prefixes (few-shot blocks) once and reuse their keys and
 *     values for every request that continues them
 */
public record EngineOptions(
    String torch,
    String device,
    String dtype,
    Boolean addBos,
    int maxLength,
    int batchTokens,
    int batchSequences,
    RollingPrefix rollingPrefix,
    boolean sharePrefixes)
    implements java.io.Serializable {
  /** Serializable: a distributed sweep ships the options to its workers. */
  private static final long serialVersionUID = 1L;

  /** Which special token conditions the first window of a rolling log-likelihood. */
  public enum RollingPrefix {
    /** lm-eval HFLM's {@code prefix_token_id}: BOS, or EOS when the tokenizer has no BOS. */
    BOS,
    /** The Paloma / catwalk convention. */
    EOS
  }

  public static final int DEFAULT_BATCH_TOKENS = 8192;

  public static EngineOptions defaults() {
    return new EngineOptions(
        null, "auto", "auto", null, 0, DEFAULT_BATCH_TOKENS, 0, RollingPrefix.BOS, true);
  }

  public EngineOptions withTorch(String torchDir) {
    return new EngineOptions(
        torchDir,
        device,
        dtype,
        addBos,
        maxLength,
        batchTokens,
        batchSequences,
        rollingPrefix,
        sharePrefixes);
  }

  public EngineOptions withDevice(String d) {
    return new EngineOptions(
        torch,
        d,
        dtype,
        addBos,
        maxLength,
        batchTokens,
        batchSequences,
        rollingPrefix,
        sharePrefixes);
  }

  public EngineOptions withDtype(String d) {
    return new EngineOptions(
        torch,
        device,
        d,
        addBos,
        maxLength,
        batchTokens,
        batchSequences,
        rollingPrefix,
        sharePrefixes);
  }

  public EngineOptions withAddBos(Boolean b) {
    return new EngineOptions(
        torch,
        device,
        dtype,
        b,
        maxLength,
        batchTokens,
        batchSequences,
        rollingPrefix,
        sharePrefixes);
  }

  public EngineOptions withMaxLength(int n) {
    return new EngineOptions(
        torch, device, dtype, addBos, n, batchTokens, batchSequences, rollingPrefix, sharePrefixes);
  }

  public EngineOptions withBatchTokens(int n) {
    return new EngineOptions(
        torch, device, dtype, addBos, maxLength, n, batchSequences, rollingPrefix, sharePrefixes);
  }

  public EngineOptions withBatchSequences(int n) {
    return new EngineOptions(
        torch, device, dtype, addBos, maxLength, batchTokens, n, rollingPrefix, sharePrefixes);
  }

  public EngineOptions withSharePrefixes(boolean b) {
    return new EngineOptions(
        torch, device, dtype, addBos, maxLength, batchTokens, batchSequences, rollingPrefix, b);
  }

  public EngineOptions withRollingPrefix(RollingPrefix p) {
    return new EngineOptions(
        torch, device, dtype, addBos, maxLength, batchTokens, batchSequences, p, sharePrefixes);
  }
}
