package evalh.engine.scoring;

import evalh.core.text.PythonText;
import evalh.engine.tokenizer.TextTokenizer;
import java.util.Arrays;

/**
 * Turns text requests into token requests exactly as lm-evaluation-harness' HFLM does: trailing
 * whitespace of the context moves to the continuation, {@code whole = encode(ctx + cont)}, {@code
 * ctx = encode(ctx)}, {@code cont = whole[len(ctx):]}; BOS is prepended when the policy says so,
 * and an empty context becomes {@code [prefix_token]}.
 */
public final class RequestEncoder {
  private final TextTokenizer tokenizer;
  private final boolean addBos;
  private final int prefixToken;
  private final int maxLength;

  public RequestEncoder(TextTokenizer tokenizer, boolean addBos, int prefixToken, int maxLength) {
    this.tokenizer = tokenizer;
    this.addBos = addBos;
    this.prefixToken = prefixToken;
    this.maxLength = maxLength;
  }

  /** Context/continuation token ids after the whitespace move (no special tokens). */
  public record Split(int[] context, int[] continuation) {}

  public Split split(ContinuationRequest r) {
    String ctx = r.context();
    String cont = r.continuation();
    int cut = PythonText.rstripIndex(ctx);
    if (cut < ctx.length()) {
      cont = ctx.substring(cut) + cont;
      ctx = ctx.substring(0, cut);
    }
    int[] whole = tokenizer.encode(ctx + cont);
    int[] ctxIds = tokenizer.encode(ctx);
    int[] contIds = Arrays.copyOfRange(whole, Math.min(ctxIds.length, whole.length), whole.length);
    return new Split(ctxIds, contIds);
  }

  /** The token request for {@code r}; {@code split} must be {@code split(r)}. */
  public TokenRequest tokens(Split split) {
    if (split.continuation().length == 0) {
      throw new IllegalArgumentException(
          "the continuation encodes to no tokens beyond the context's own encoding");
    }
    int[] prefix;
    if (addBos) {
      prefix = new int[] {prefixToken};
    } else if (split.context().length == 0) {
      prefix = new int[] {prefixToken};
    } else {
      prefix = new int[0];
    }
    int[] context = new int[prefix.length + split.context().length];
    System.arraycopy(prefix, 0, context, 0, prefix.length);
    System.arraycopy(split.context(), 0, context, prefix.length, split.context().length);
    return TokenRequest.of(context, split.continuation(), maxLength);
  }
}
