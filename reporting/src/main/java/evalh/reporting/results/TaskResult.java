package evalh.reporting.results;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One task's or group's entry in results.json.
 *
 * @param name the task or group name as keyed in results.json
 * @param group true when the entry is a group (in the top-level groups object or with subtasks)
 * @param alias lm-eval's display alias, or the name
 * @param metrics numeric metric values by key (standard errors excluded)
 * @param stderrs standard errors, keyed by the metric they belong to
 * @param subtasks the group's immediate subtasks (empty for a leaf task)
 * @param size the number of evaluated items ({@code n-samples.effective}) when known
 * @param counts integer fields without a filter, such as {@code n_clean} and {@code n_dirty}
 */
public record TaskResult(
    String name,
    boolean group,
    String alias,
    Map<MetricKey, Double> metrics,
    Map<MetricKey, Double> stderrs,
    List<String> subtasks,
    OptionalLong size,
    Map<String, Long> counts) {

  public TaskResult {
    metrics = Map.copyOf(metrics);
    stderrs = Map.copyOf(stderrs);
    subtasks = List.copyOf(subtasks);
    counts = Map.copyOf(counts);
  }

  public Optional<Double> value(MetricKey key) {
    return Optional.ofNullable(metrics.get(key));
  }

  public Optional<Double> stderr(MetricKey key) {
    return Optional.ofNullable(stderrs.get(key));
  }
}
