package evalh.engine.scoring;

/**
 * The answer to one {@link ContinuationRequest}.
 *
 * @param logprob summed natural-log probability of the continuation tokens
 * @param greedy true when every continuation token is the argmax at its position (lm-eval's {@code
 *     is_greedy})
 * @param contextIds context token ids as scored (after the whitespace move, before BOS)
 * @param continuationIds continuation token ids ({@code whole[len(ctx):]})
 * @param tokenLogprobs per-token log-probabilities of {@code continuationIds}
 * @param truncated whether left truncation to the maximum length removed input tokens
 */
public record LoglikelihoodResult(
    double logprob,
    boolean greedy,
    int[] contextIds,
    int[] continuationIds,
    double[] tokenLogprobs,
    boolean truncated) {}
