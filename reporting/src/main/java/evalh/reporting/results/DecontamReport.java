package evalh.reporting.results;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A decontam.json: per task, which items (by doc_id) the corpus contains (GPT-3/lm-eval {@code
 * dirty} label).
 *
 * @param label the corpus name shown in reports
 * @param file the file read
 * @param dirty per task, doc_id to dirty
 */
public record DecontamReport(String label, Path file, Map<String, Map<Integer, Boolean>> dirty) {
  public DecontamReport {
    dirty = Map.copyOf(dirty);
  }

  /** Whether {@code docId} of {@code task} is dirty; empty when the report does not cover it. */
  public Optional<Boolean> isDirty(String task, int docId) {
    Map<Integer, Boolean> m = dirty.get(task);
    return m == null ? Optional.empty() : Optional.ofNullable(m.get(docId));
  }

  public DecontamReport withLabel(String newLabel) {
    return new DecontamReport(newLabel, file, dirty);
  }
}
