package evalh.engine.scoring;

import evalh.engine.model.PackedRow;
import evalh.engine.model.ScoringModel;
import evalh.engine.runtime.TensorRuntime.TargetScores;
import evalh.engine.scoring.BatchPlanner.Batch;
import evalh.engine.scoring.BatchPlanner.Row;
import evalh.engine.scoring.BatchPlanner.Slot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Scores token requests with a model: packs requests that share a context into one row, runs long
 * shared prefixes (few-shot blocks) once, batches rows longest-first under a token budget, and
 * returns results in request order. When a batch runs out of memory the budget is halved and the
 * batch retried, so the budget adapts to the memory at hand.
 */
public final class TokenScorer {
  /** Shortest common prefix worth a separate pass (few-shot blocks are hundreds of tokens). */
  public static final int MIN_SHARED_PREFIX = 64;

  private final ScoringModel model;
  private final int maxLength;
  private final boolean sharePrefixes;
  private final int maxRows;
  private int budget;
  private long tokensScored;
  private long forwardTokens;
  private long paddedTokens;
  private long attentionPairs;
  private int budgetCuts;

  /**
   * @param batchTokens padded tokens per forward batch
   * @param sharePrefixes run long common prefixes (few-shot blocks) once and let every row attend
   *     to their cached keys/values; false scores every row in full
   */
  public TokenScorer(ScoringModel model, int maxLength, int batchTokens, boolean sharePrefixes) {
    this(model, maxLength, batchTokens, 0, sharePrefixes);
  }

  /**
   * @param batchTokens padded tokens per forward batch
   * @param batchSequences at most this many rows per forward batch (lm-eval's {@code --batch-size
   *     N}); 0 or less: as many as the token budget allows
   * @param sharePrefixes as above
   */
  public TokenScorer(
      ScoringModel model,
      int maxLength,
      int batchTokens,
      int batchSequences,
      boolean sharePrefixes) {
    this.model = model;
    this.maxLength = maxLength;
    this.budget = Math.max(1, batchTokens);
    this.maxRows = batchSequences > 0 ? batchSequences : Integer.MAX_VALUE;
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
        runAll(c.rows(), null, out, progress);
        continue;
      }
      try (ScoringModel.Prefix prefix = model.prefill(c.prefix())) {
        synchronized (this) {
          long p = prefix.length();
          forwardTokens += p;
          paddedTokens += p;
          attentionPairs += p * (p + 1) / 2;
        }
        runAll(c.rows(), prefix, out, progress);
      }
    }
    return List.of(out);
  }

  /** Longest rows first, as many per batch as the current budget and the row limit allow. */
  private void runAll(
      List<Row> rows, ScoringModel.Prefix prefix, TokenScores[] out, Progress progress) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingInt((Row r) -> r.row().length()).reversed());
    int i = 0;
    while (i < sorted.size()) {
      int longest = sorted.get(i).row().length();
      int n =
          Math.min(
              Math.min(sorted.size() - i, maxRows), Math.max(1, budget / Math.max(1, longest)));
      Batch batch = new Batch(List.copyOf(sorted.subList(i, i + n)));
      try {
        run(batch, prefix, out, progress);
        i += n;
      } catch (RuntimeException e) {
        if (!isOutOfMemory(e) || n == 1) {
          throw e;
        }
        synchronized (this) {
          budget = Math.max(1, batch.paddedTokens() / 2);
          budgetCuts++;
        }
      }
    }
  }

  static boolean isOutOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("out of memory")
          || m.contains("not enough memory")
          || m.contains("can't allocate memory")
          || t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  private void run(Batch batch, ScoringModel.Prefix prefix, TokenScores[] out, Progress progress) {
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
    long p = prefix == null ? 0 : prefix.length();
    long pairs = 0;
    for (Row row : batch.rows()) {
      long t = row.row().length();
      pairs += t * p + t * (t + 1) / 2;
    }
    synchronized (this) {
      tokensScored += offset;
      forwardTokens += batch.realTokens();
      paddedTokens += batch.paddedTokens();
      attentionPairs += pairs;
    }
    progress.advance(done, batch.realTokens());
  }

  /**
   * What a scorer has computed since creation.
   *
   * @param tokensScored scored target tokens
   * @param forwardTokens real (unpadded) tokens run through the forward pass
   * @param paddedTokens forward tokens including padding
   * @param attentionPairs causal (query, key) pairs of attention, prefix keys included
   */
  public record Counters(
      long tokensScored, long forwardTokens, long paddedTokens, long attentionPairs) {
    /** The fraction of padded forward tokens that were padding (0 when nothing ran). */
    public double paddingWaste() {
      return paddedTokens == 0 ? 0.0 : 1.0 - (double) forwardTokens / paddedTokens;
    }
  }

  /**
   * The batch budget as it stands.
   *
   * @param batchTokens the current budget of one batch in padded tokens
   * @param cuts how often it was halved after running out of memory
   */
  public record Budget(int batchTokens, int cuts) {}

  /** Since creation. */
  public synchronized Counters counters() {
    return new Counters(tokensScored, forwardTokens, paddedTokens, attentionPairs);
  }

  /** The current batch budget. */
  public synchronized Budget budget() {
    return new Budget(budget, budgetCuts);
  }
}
