/**
 * The lm-evaluation-harness engine: text requests in, log-likelihoods out, exactly as lm-eval's
 * HFLM computes them.
 *
 * <h2>Workflow</h2>
 *
 * <ol>
 *   <li>{@link evalh.engine.scoring.LoglikelihoodEngine#open} opens the checkpoint, its tokenizer
 *       and a tensor runtime ({@link evalh.engine.scoring.EngineOptions}), refuses a model that
 *       cannot fit the free memory in the chosen dtype, and uploads the weights.
 *   <li>{@link evalh.engine.scoring.RequestEncoder} turns each {@link
 *       evalh.engine.scoring.ContinuationRequest} into a {@link evalh.engine.scoring.TokenRequest}
 *       (context tokens, continuation tokens), with the BOS policy and left truncation; {@link
 *       evalh.engine.scoring.RollingWindows} cuts documents into lm-eval's disjoint windows.
 *   <li>{@link evalh.engine.scoring.TokenScorer} packs requests sharing a context into one row,
 *       runs long shared prefixes once ({@link evalh.engine.scoring.PrefixPlanner}), batches rows
 *       longest first under a token budget ({@link evalh.engine.scoring.BatchPlanner}), halves the
 *       budget on out-of-memory, and returns scores in request order.
 *   <li>Tasks see only {@link evalh.engine.scoring.Evaluator}: results, the {@link
 *       evalh.engine.scoring.EngineFingerprint} (what the cache key and results.json record) and
 *       {@link evalh.engine.scoring.EngineStats} (what this process computed).
 * </ol>
 *
 * <h2>Traps</h2>
 *
 * <ul>
 *   <li><b>Token split.</b> Trailing whitespace of the context (Python {@code str.isspace}) moves
 *       to the continuation; then {@code whole = encode(ctx + cont)}, {@code ctx = encode(ctx)},
 *       {@code cont = whole[len(ctx):]}. Encoding the continuation alone gives different tokens
 *       (merges across the boundary); when the context's tokens are not a prefix of the whole's, a
 *       token is lost exactly as in lm-eval.
 *   <li><b>BOS policy.</b> lm-eval &gt;= 0.4.9.2 follows the tokenizer (prepends BOS when its
 *       post-processor adds one); older lm-eval adds none unless {@code add_bos_token=True}, and an
 *       empty context then becomes {@code [prefix_token]} (BOS, else EOS). Rolling windows start
 *       with that prefix token, or EOS for Paloma's convention. The policy is part of the
 *       fingerprint: scores under different policies are never mixed in a cache.
 *   <li><b>Truncation</b> is on the left: the input is {@code ([BOS] + ctx + cont)[-(max_length +
 *       1):][:-1]}, so a long context loses its start (and BOS); the last {@code len(cont)}
 *       positions are scored. {@code max_length} defaults to {@code max_position_embeddings}.
 *   <li><b>Packing.</b> Several continuations of one context share a row as branches of a tree: a
 *       branch sees the shared context and itself, never a sibling, and its positions continue the
 *       context's. Padding is on the right and sees only itself; a padded batch with no tree is
 *       plain causal attention. The log-softmax is float32 and computed only at scored positions,
 *       in chunks, never as a [batch, seq, vocab] tensor.
 * </ul>
 */
package evalh.engine.scoring;
