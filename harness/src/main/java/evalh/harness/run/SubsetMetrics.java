package evalh.harness.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Aggregated metrics of a task or group over some items (all, clean, or dirty).
 *
 * @param n number of items
 * @param values metric name to value
 * @param stderrs metric name to standard error (NaN: lm-eval's "N/A")
 * @param macro groups: unweighted mean over leaf tasks
 * @param macroStderrs groups: standard error of the unweighted mean
 */
record SubsetMetrics(
    int n,
    Map<String, Double> values,
    Map<String, Double> stderrs,
    Map<String, Double> macro,
    Map<String, Double> macroStderrs) {

  static SubsetMetrics empty() {
    return new SubsetMetrics(
        0,
        new LinkedHashMap<>(),
        new LinkedHashMap<>(),
        new LinkedHashMap<>(),
        new LinkedHashMap<>());
  }
}
