package evalh.reporting.results;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * The per-item samples of one task, by filter and doc_id.
 *
 * @param task the task name
 * @param file the samples file read
 * @param byFilter items keyed by filter, then by doc_id (sorted)
 * @param provenance the distinct {@code checkpoint_fingerprint|task_hash} pairs evalh recorded in
 *     the lines ({@code "|"} for a line without them, as lm-eval writes)
 */
public record TaskSamples(
    String task,
    Path file,
    Map<String, SortedMap<Integer, SampleItem>> byFilter,
    Set<String> provenance) {

  public TaskSamples {
    byFilter = Map.copyOf(byFilter);
    provenance = Set.copyOf(provenance);
  }

  /** The provenance key of a checkpoint fingerprint and task config hash. */
  public static String provenanceKey(String checkpointFingerprint, String taskHash) {
    return (checkpointFingerprint == null ? "" : checkpointFingerprint)
        + "|"
        + (taskHash == null ? "" : taskHash);
  }

  /** Items evaluated under {@code filter}, by doc_id. */
  public Optional<SortedMap<Integer, SampleItem>> items(String filter) {
    return Optional.ofNullable(byFilter.get(filter));
  }
}
