package evalh.harness.engine;

import evalh.harness.engine.BatchPlanner.Batch;
import evalh.harness.engine.BatchPlanner.Row;
import evalh.harness.engine.BatchPlanner.Slot;
import evalh.harness.model.PackedRow;
import evalh.harness.model.Transformer;
import evalh.harness.runtime.TensorRuntime.TargetScores;
import java.util.List;

/**
 * Scores token requests with a {@link Transformer}: packs requests that share a context into one
 * row, batches rows longest-first under a token budget, and returns results in request order.
 */
public final class TokenScorer {
  private final Transformer<?> model;
  private final int maxLength;
  private final int batchTokens;
  private long tokensScored;
  private long forwardTokens;
  private long paddedTokens;

  /** Shortest common prefix worth a separate pass (few-shot blocks are hundreds of tokens). */
  public static final int MIN_SHARED_PREFIX = 64;

  private final boolean sharePrefixes;

  public TokenScorer(Transformer<?> model, int maxLength, int batchTokens) {
    this(model, maxLength, batchTokens, true);
  }

  /**
   * @param sharePrefixes run long common prefixes (few-shot blocks) once and let every row attend
   *     to their cached keys/values; false scores every row in full
   */
  public TokenScorer(Transformer<?> model, int maxLength, int batchTokens, boolean sharePrefixes) {
    this.model = model;
    this.maxLength = maxLength;
    this.batchTokens = Math.max(1, batchTokens);
    this.sharePrefixes = sharePrefixes;
  }

  /** Log-probabilities of one request's continuation tokens and whether all were the argmax. */
  public record TokenScores(double[] logprobs, boolean greedy) {
    public double sum() {
      double s = 0;
      for (double v : logprobs) {
        s += v;
      }
      return s;
    }
  }

  public List<TokenScores> score(List<TokenRequest> requests, Progress progress) {
    TokenScores[] out = new TokenScores[requests.size()];
    List<Row> rows = BatchPlanner.rows(requests, maxLength);
    List<PrefixPlanner.Cluster> clusters =
        sharePrefixes
            ? PrefixPlanner.clusters(rows, MIN_SHARED_PREFIX)
            : List.of(new PrefixPlanner.Cluster(new int[0], rows));
    for (PrefixPlanner.Cluster c : clusters) {
      if (c.prefix().length == 0) {
        for (Batch batch : BatchPlanner.batches(c.rows(), batchTokens)) {
          run(batch, null, out, progress);
        }
        continue;
      }
      try (Transformer.Prefix prefix = model.prefill(c.prefix())) {
        synchronized (this) {
          forwardTokens += prefix.length();
          paddedTokens += prefix.length();
        }
        for (Batch batch : BatchPlanner.batches(c.rows(), batchTokens)) {
          run(batch, prefix, out, progress);
        }
      }
    }
    return List.of(out);
  }

  private void run(Batch batch, Transformer.Prefix prefix, TokenScores[] out, Progress progress) {
    List<PackedRow> packed = batch.rows().stream().map(Row::row).toList();
    TargetScores ts = model.score(packed, prefix);
    int offset = 0;
    int done = 0;
    for (Row row : batch.rows()) {
      int[] targets = row.row().targets();
      for (Slot slot : row.slots()) {
        double[] lp = new double[slot.count()];
        boolean greedy = true;
        for (int j = 0; j < slot.count(); j++) {
          int k = offset + slot.firstTarget() + j;
          lp[j] = ts.logprob()[k];
          greedy &= ts.argmax()[k] == targets[slot.firstTarget() + j];
        }
        out[slot.request()] = new TokenScores(lp, greedy);
        done++;
      }
      offset += targets.length;
    }
    synchronized (this) {
      tokensScored += offset;
      forwardTokens += batch.realTokens();
      paddedTokens += batch.paddedTokens();
    }
    progress.advance(done, batch.realTokens());
  }

  /** Since creation: scored targets, real forward tokens, padded forward tokens. */
  public synchronized long[] counters() {
    return new long[] {tokensScored, forwardTokens, paddedTokens};
  }
}
