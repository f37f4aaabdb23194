package evalh.tasks.metrics;

import evalh.tasks.prompt.PyStr;
import java.util.List;

/**
 * Per-item multiple-choice metrics as lm-eval's {@code ConfigurableTask.process_results}: {@code
 * acc} = argmax of log-likelihoods is gold; {@code acc_norm} = argmax of ll / character length of
 * the choice string; {@code acc_bytes} = argmax of ll / UTF-8 byte length. Ties go to the first
 * choice ({@code np.argmax}). Lengths are of {@code doc_to_choice} strings, without the target
 * delimiter; characters are Python characters (code points).
 */
public final class ChoiceMetrics {
  private ChoiceMetrics() {}

  public static double acc(double[] lls, int gold) {
    return argmax(lls) == gold ? 1.0 : 0.0;
  }

  public static double accNorm(double[] lls, List<String> choices, int gold) {
    double[] n = new double[lls.length];
    for (int i = 0; i < lls.length; i++) {
      String c = choices.get(i);
      n[i] = lls[i] / c.codePointCount(0, c.length());
    }
    return argmax(n) == gold ? 1.0 : 0.0;
  }

  public static double accBytes(double[] lls, List<String> choices, int gold) {
    double[] n = new double[lls.length];
    for (int i = 0; i < lls.length; i++) {
      n[i] = lls[i] / PyStr.utf8Length(choices.get(i));
    }
    return argmax(n) == gold ? 1.0 : 0.0;
  }

  /** {@code np.argmax}: first index of the maximum (NaN counts as the maximum, as numpy). */
  public static int argmax(double[] xs) {
    int best = 0;
    for (int i = 0; i < xs.length; i++) {
      if (Double.isNaN(xs[i])) {
        return i;
      }
      if (xs[i] > xs[best]) {
        best = i;
      }
    }
    return best;
  }
}
