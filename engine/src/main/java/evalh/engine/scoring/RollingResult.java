package evalh.engine.scoring;

/**
 * The answer to one lm-eval {@code loglikelihood_rolling} request over a whole document.
 *
 * @param logprob summed natural-log probability of every token of the document
 * @param tokens number of scored tokens (the document's token count)
 * @param windows number of disjoint windows the document was split into
 */
public record RollingResult(double logprob, int tokens, int windows) {}
