package evalh.engine.scoring;

/**
 * What an evaluator did in this process: its batch budget and how much it computed. These vary
 * between a fresh and a resumed run, so they are reported apart from the {@link EngineFingerprint}.
 *
 * @param batchTokens the token budget of one forward batch ({@link Integer#MAX_VALUE}: none, the
 *     batch is limited by {@code batchSequences} only)
 * @param batchSequences at most this many sequences per forward batch (lm-eval's {@code
 *     --batch-size N}); 0: no limit
 * @param batchTokensAuto whether that budget was sized from the free memory
 * @param batchTokensAfterOom the budget now, after any halving on out-of-memory
 * @param oomBudgetCuts how often it was halved
 * @param tokensScored scored target tokens
 * @param forwardTokens real tokens run through the model
 * @param paddedTokens forward tokens including padding
 */
public record EngineStats(
    int batchTokens,
    int batchSequences,
    boolean batchTokensAuto,
    int batchTokensAfterOom,
    int oomBudgetCuts,
    long tokensScored,
    long forwardTokens,
    long paddedTokens) {

  /** The share of padded forward tokens that were padding. */
  public double paddingWaste() {
    return paddedTokens == 0 ? 0.0 : 1.0 - (double) forwardTokens / paddedTokens;
  }

  /** No work done (an evaluator that does not batch). */
  public static EngineStats none() {
    return new EngineStats(0, 0, false, 0, 0, 0, 0, 0);
  }

  /** A token budget as results.json says it: null for none ({@link Integer#MAX_VALUE}). */
  public static Integer budgetOrNull(int tokens) {
    return tokens == Integer.MAX_VALUE ? null : tokens;
  }
}
