package evalh.reporting.results;

import java.util.Locale;

/** Which way is better for a metric, when results.json's {@code higher_is_better} does not say. */
public final class MetricDirection {
  private MetricDirection() {}

  /**
   * Default direction by name: bits per byte, perplexities and losses are lower-is-better;
   * everything else (accuracies, exact match, F1...) higher-is-better.
   */
  public static boolean higherIsBetterByName(String metricName) {
    String n = metricName.toLowerCase(Locale.ROOT);
    return !(n.contains("perplexity")
        || n.contains("bits_per_byte")
        || n.equals("bpb")
        || n.contains("loss")
        || n.equals("ter"));
  }

  /**
   * The base metric of a derived one, used to look up {@code higher_is_better}: {@code acc_macro},
   * {@code acc_decontaminate} and {@code acc_dirty} share {@code acc}'s direction.
   */
  public static String baseName(String metricName) {
    for (String suffix : new String[] {"_macro", "_decontaminate", "_dirty"}) {
      if (metricName.endsWith(suffix)) {
        return metricName.substring(0, metricName.length() - suffix.length());
      }
    }
    return metricName;
  }
}
