package evalh.reporting.results;

import java.util.Comparator;

/**
 * An lm-evaluation-harness metric key such as {@code acc,none}: the metric name and the filter it
 * was computed under.
 */
public record MetricKey(String name, String filter) implements Comparable<MetricKey> {
  private static final Comparator<MetricKey> ORDER =
      Comparator.comparing(MetricKey::name).thenComparing(MetricKey::filter);

  /** Parses {@code name,filter}; a key without a comma gets the filter {@code none}. */
  public static MetricKey parse(String key) {
    int comma = key.indexOf(',');
    if (comma < 0) {
      return new MetricKey(key, "none");
    }
    return new MetricKey(key.substring(0, comma), key.substring(comma + 1));
  }

  /** The key as written in results.json. */
  public String key() {
    return name + "," + filter;
  }

  /** The name shown to users: the bare name under the default filter, else the full key. */
  public String display() {
    return "none".equals(filter) ? name : key();
  }

  /** True for the standard-error companions such as {@code acc_stderr,none}. */
  public boolean isStderr() {
    return name.contains("_stderr");
  }

  /**
   * The metric a standard error belongs to: {@code acc_stderr} belongs to {@code acc}, {@code
   * acc_stderr_decontaminate} (lm-eval 0.3's convention) to {@code acc_decontaminate}.
   */
  public MetricKey stderrOwner() {
    return new MetricKey(name.replace("_stderr", ""), filter);
  }

  /** Does a user's {@code --metric} selector (a bare name or a full key) pick this metric? */
  public boolean matches(String selector) {
    return selector.indexOf(',') >= 0 ? selector.equals(key()) : selector.equals(name);
  }

  @Override
  public int compareTo(MetricKey o) {
    return ORDER.compare(this, o);
  }
}
