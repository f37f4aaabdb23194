package evalh.engine.scoring;

import java.util.List;

/**
 * What tasks and metrics see of a model: lm-eval's {@code loglikelihood} and {@code
 * loglikelihood_rolling}. Results come back in request order. Open one with {@link
 * LoglikelihoodEngine#open}.
 */
public interface Evaluator extends AutoCloseable {

  List<LoglikelihoodResult> loglikelihood(List<ContinuationRequest> requests, Progress progress);

  List<RollingResult> loglikelihoodRolling(List<String> documents, Progress progress);

  /** The checkpoint, every setting that changes a score, and the runtime (cache key, reports). */
  EngineFingerprint fingerprint();

  /** Batch budget and work done so far in this process. */
  EngineStats stats();

  @Override
  void close();
}
