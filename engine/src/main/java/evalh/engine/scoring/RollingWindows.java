package evalh.engine.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * lm-eval's {@code get_rolling_token_windows} followed by {@code make_disjoint_window}: every token
 * of a document is predicted exactly once, the first window conditioned on a prefix token, later
 * windows on up to {@code maxLength - pred} tokens of the text before them.
 */
public final class RollingWindows {
  private RollingWindows() {}

  /** One (context, prediction) pair. */
  public record Window(int[] context, int[] predicted) {}

  public static List<Window> of(int[] tokens, int prefixToken, int maxSeqLen, int contextLen) {
    if (contextLen < 1 || contextLen > maxSeqLen) {
      throw new IllegalArgumentException("context_len must be in 1..max_seq_len");
    }
    List<Window> out = new ArrayList<>();
    if (tokens.length == 0) {
      return out;
    }
    int predLen = maxSeqLen - contextLen + 1;
    int firstLen = Math.min(maxSeqLen, tokens.length);
    int[] first = new int[firstLen];
    first[0] = prefixToken;
    System.arraycopy(tokens, 0, first, 1, firstLen - 1);
    out.add(disjoint(first, Arrays.copyOfRange(tokens, 0, firstLen)));
    int predicted = firstLen;
    while (predicted < tokens.length) {
      int windowPred = Math.min(tokens.length - predicted, predLen);
      int end = predicted + windowPred;
      int[] ctx = pySlice(tokens, end - maxSeqLen - 1, end - 1);
      int[] pred = Arrays.copyOfRange(tokens, end - windowPred, end);
      out.add(disjoint(ctx, pred));
      predicted += windowPred;
    }
    return out;
  }

  private static Window disjoint(int[] a, int[] b) {
    return new Window(Arrays.copyOfRange(a, 0, a.length - (b.length - 1)), b);
  }

  /** Python's {@code list[start:end]} for possibly negative start (counted from the end). */
  private static int[] pySlice(int[] a, int start, int end) {
    int s = start < 0 ? Math.max(0, a.length + start) : Math.min(start, a.length);
    int e = Math.min(end, a.length);
    return s >= e ? new int[0] : Arrays.copyOfRange(a, s, e);
  }
}
