package evalh.harness.run;

import evalh.engine.scoring.ContinuationRequest;
import evalh.engine.scoring.EngineFingerprint;
import evalh.engine.scoring.EngineStats;
import evalh.engine.scoring.Evaluator;
import evalh.engine.scoring.LoglikelihoodResult;
import evalh.engine.scoring.Progress;
import evalh.engine.scoring.RollingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model whose answers are known in advance: continuation " A" scores -1, every other continuation
 * -2 - its length; a document scores -(its UTF-16 length) over (length / 4) tokens.
 */
final class FakeEvaluator implements Evaluator {
  int calls;

  /** Reported as the checkpoint fingerprint. */
  String fingerprint = "fake-1";

  /** Milliseconds each engine call takes (to keep a child run busy). */
  long delayMs;

  private void pause() {
    if (delayMs > 0) {
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public List<LoglikelihoodResult> loglikelihood(List<ContinuationRequest> requests, Progress p) {
    calls++;
    pause();
    List<LoglikelihoodResult> out = new ArrayList<>();
    for (ContinuationRequest r : requests) {
      double ll = r.continuation().equals(" A") ? -1.0 : -2.0 - r.continuation().length();
      out.add(
          new LoglikelihoodResult(
              ll, ll == -1.0, new int[0], new int[] {1}, new double[] {ll}, false));
    }
    p.advance(requests.size(), requests.size());
    return out;
  }

  @Override
  public List<RollingResult> loglikelihoodRolling(List<String> documents, Progress p) {
    calls++;
    List<RollingResult> out = new ArrayList<>();
    for (String d : documents) {
      out.add(new RollingResult(-d.length(), Math.max(1, d.length() / 4), 1));
    }
    return out;
  }

  @Override
  public EngineFingerprint fingerprint() {
    return new EngineFingerprint(
        "fake",
        "/fake",
        fingerprint,
        "FakeForCausalLM",
        0,
        "cpu",
        "float32",
        List.of(),
        Map.of(),
        true,
        "tokenizer default",
        0,
        "bos",
        512,
        true,
        "fake",
        "",
        "",
        false,
        "");
  }

  @Override
  public EngineStats stats() {
    return EngineStats.none();
  }

  @Override
  public void close() {}
}
