package evalh.decontam.paraphrase;

import java.util.Arrays;

/**
 * The paraphrase threshold and the false-positive rate it is estimated to have.
 *
 * @param threshold an item is a suspect when its score is above this
 * @param source {@code null-distribution}, {@code floor} (the null quantile was below {@link
 *     #FLOOR}) or {@code user} ({@code --paraphrase-threshold})
 * @param targetFpr the false-positive rate per item asked for
 * @param estimatedFpr the fraction of null scores above the threshold
 * @param nullItems null pseudo-items scored
 * @param nullQuantile the null scores' (1 - targetFpr) quantile
 */
public record Calibration(
    double threshold,
    String source,
    double targetFpr,
    double estimatedFpr,
    int nullItems,
    double nullQuantile) {
  /**
   * The lowest calibrated threshold: in a corpus with little same-topic text the null quantile is
   * low, and a window sharing a third of an item's weighted words is no evidence.
   */
  public static final double FLOOR = 0.35;

  /** The default target false-positive rate per item. */
  public static final double DEFAULT_FPR = 0.01;

  /** Only a user threshold: no null items (a task of one item among one). */
  static Calibration userOnly(double user, double targetFpr) {
    return new Calibration(user, "user", targetFpr, Double.NaN, 0, Double.NaN);
  }

  /**
   * Calibrates from {@code nullScores} (the best score of each null pseudo-item): the threshold is
   * the smallest null score {@code s} with at most {@code targetFpr} of the null scores above it,
   * raised to {@link #FLOOR}; {@code user} (NaN when not given) overrides it. The estimated
   * false-positive rate is the fraction of null scores above the final threshold.
   */
  static Calibration of(double[] nullScores, double targetFpr, double user) {
    if (nullScores.length == 0) {
      throw new IllegalArgumentException("no null scores to calibrate the paraphrase threshold");
    }
    double[] s = nullScores.clone();
    Arrays.sort(s);
    int m = s.length;
    // the smallest index i such that #(scores > s[i]) <= targetFpr * m
    int allowed = (int) Math.floor(targetFpr * m);
    double q = s[Math.max(0, m - 1 - allowed)];
    double threshold;
    String source;
    if (!Double.isNaN(user)) {
      threshold = user;
      source = "user";
    } else if (q < FLOOR) {
      threshold = FLOOR;
      source = "floor";
    } else {
      threshold = q;
      source = "null-distribution";
    }
    int above = 0;
    for (double v : s) {
      if (v > threshold) {
        above++;
      }
    }
    return new Calibration(threshold, source, targetFpr, (double) above / m, m, q);
  }
}
