package evalh.reporting.results;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The per-item samples of one task, by filter and doc_id.
 *
 * @param task the task name
 * @param file the samples file read
 * @param byFilter items keyed by filter, then by doc_id (sorted)
 */
public record TaskSamples(
    String task, Path file, Map<String, SortedMap<Integer, SampleItem>> byFilter) {

  public TaskSamples {
    byFilter = Map.copyOf(byFilter);
  }

  /** Items evaluated under {@code filter}, by doc_id. */
  public Optional<SortedMap<Integer, SampleItem>> items(String filter) {
    return Optional.ofNullable(byFilter.get(filter));
  }
}
