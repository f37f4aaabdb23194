package evalh.engine.scoring;

/**
 * A request at token level: the model reads {@code shared} then {@code continuation[:-1]}, and
 * {@code continuation[i]} is scored after reading {@code shared + continuation[:i]}. Requests with
 * equal {@code shared} arrays are packed into one forward row.
 *
 * @param shared input tokens up to the one that predicts the first continuation token
 * @param continuation the scored tokens
 * @param truncated whether left truncation removed tokens to fit the context window
 */
public record TokenRequest(int[] shared, int[] continuation, boolean truncated) {

  /**
   * lm-eval's {@code _loglikelihood_tokens} input: {@code (context + continuation)[-(maxLength +
   * 1):][:-1]}, scoring the last {@code len(continuation)} positions.
   */
  public static TokenRequest of(int[] context, int[] continuation, int maxLength) {
    if (continuation.length == 0) {
      throw new IllegalArgumentException("continuation has no tokens");
    }
    if (continuation.length > maxLength) {
      throw new IllegalArgumentException(
          "continuation of "
              + continuation.length
              + " tokens does not fit max_length "
              + maxLength);
    }
    int full = context.length + continuation.length;
    int inputLen = Math.min(full - 1, maxLength);
    int start = full - 1 - inputLen;
    int sharedLen = inputLen - (continuation.length - 1);
    int[] shared = new int[sharedLen];
    for (int i = 0; i < sharedLen; i++) {
      int src = start + i;
      shared[i] = src < context.length ? context[src] : continuation[src - context.length];
    }
    return new TokenRequest(shared, continuation, start > 0);
  }
}
