package evalh.engine.scoring;

import java.util.Objects;

/**
 * One lm-evaluation-harness {@code loglikelihood} request: the log-probability of {@code
 * continuation} given {@code context}. Trailing whitespace of the context is moved to the
 * continuation by the engine, exactly as lm-eval's {@code _encode_pair} does.
 */
public record ContinuationRequest(String context, String continuation) {
  public ContinuationRequest {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(continuation, "continuation");
  }
}
