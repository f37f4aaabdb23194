package evalh.reporting.diff;

import java.util.List;

/**
 * How to compare two runs.
 *
 * @param metrics metric selectors (bare names like {@code acc} or full keys like {@code acc,none});
 *     empty = every metric
 * @param resamples bootstrap resamples per comparison
 * @param seed bootstrap seed
 * @param gate when a comparison fails
 */
public record DiffOptions(List<String> metrics, int resamples, long seed, GatePolicy gate) {
  public DiffOptions {
    metrics = List.copyOf(metrics);
    if (resamples < 100) {
      throw new IllegalArgumentException("--bootstrap-resamples must be >= 100, got " + resamples);
    }
  }
}
