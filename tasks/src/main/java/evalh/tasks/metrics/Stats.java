package evalh.tasks.metrics;

/** lm-eval's aggregations (lm_eval/api/metrics.py), in double precision. */
public final class Stats {
  private Stats() {}

  /** {@code mean}: arithmetic mean. */
  public static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return s / xs.length;
  }

  /**
   * {@code mean_stderr}: {@code sample_stddev(xs) / sqrt(len(xs))}, where {@code sample_stddev}
   * divides by {@code n - 1}. lm-eval reports "N/A" for fewer than two items; this returns NaN.
   */
  public static double meanStderr(double[] xs) {
    int n = xs.length;
    if (n < 2) {
      return Double.NaN;
    }
    double mu = mean(xs);
    double ss = 0;
    for (double x : xs) {
      ss += (x - mu) * (x - mu);
    }
    return Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
  }

  /** {@code weighted_mean}: {@code sum(a) / sum(b)} over {@code (a, b)} pairs. */
  public static double weightedMean(double[] a, double[] b) {
    double sa = 0;
    double sb = 0;
    for (int i = 0; i < a.length; i++) {
      sa += a[i];
      sb += b[i];
    }
    return sa / sb;
  }

  /** {@code weighted_perplexity}: {@code exp(-weighted_mean)}. */
  public static double weightedPerplexity(double[] ll, double[] units) {
    return Math.exp(-weightedMean(ll, units));
  }

  /** {@code bits_per_byte}: {@code -weighted_mean / ln 2}. */
  public static double bitsPerByte(double[] ll, double[] bytes) {
    return -weightedMean(ll, bytes) / Math.log(2);
  }

  /**
   * {@code aggregate_subtask_metrics}: mean of subtask metrics, weighted by size when {@code
   * weightBySize}.
   */
  public static double aggregateSubtasks(double[] metrics, double[] sizes, boolean weightBySize) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < metrics.length; i++) {
      double w = weightBySize ? sizes[i] : 1;
      num += metrics[i] * w;
      den += w;
    }
    return num / den;
  }

  /**
   * {@code pooled_sample_stderr}: {@code sqrt(sum((n_i - 1) * se_i^2 * n_i) / (sum(n) - k) /
   * sum(n))}, lm-eval's group stderr.
   */
  public static double pooledSampleStderr(double[] stderrs, double[] sizes) {
    double num = 0;
    double total = 0;
    for (int i = 0; i < stderrs.length; i++) {
      num += (sizes[i] - 1) * stderrs[i] * stderrs[i] * sizes[i];
      total += sizes[i];
    }
    double pooledVar = num / (total - stderrs.length);
    return Math.sqrt(pooledVar / total);
  }

  /**
   * Standard error of an unweighted mean of independent estimates: {@code sqrt(sum(se_i^2)) / k}
   * (evalh's {@code _macro} stderr).
   */
  public static double macroStderr(double[] stderrs) {
    double s = 0;
    for (double se : stderrs) {
      s += se * se;
    }
    return Math.sqrt(s) / stderrs.length;
  }
}
