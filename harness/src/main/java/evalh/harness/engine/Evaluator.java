package evalh.harness.engine;

import evalh.harness.tokenizer.TextTokenizer;
import java.util.List;
import java.util.Map;

/**
 * What tasks and metrics see of a model: lm-eval's {@code loglikelihood} and {@code
 * loglikelihood_rolling}. Results come back in request order. Open one with {@link
 * LoglikelihoodEngine#open}.
 */
public interface Evaluator extends AutoCloseable {

  List<LoglikelihoodResult> loglikelihood(List<ContinuationRequest> requests, Progress progress);

  List<RollingResult> loglikelihoodRolling(List<String> documents, Progress progress);

  /** The tokenizer the model is scored with (for byte/word/token counts in metrics). */
  TextTokenizer tokenizer();

  /**
   * Run metadata for reports: device, compute dtype, what happened to the stored dtype, BOS policy,
   * max length, checkpoint path and fingerprint, parameter count.
   */
  Map<String, Object> metadata();

  @Override
  void close();
}
