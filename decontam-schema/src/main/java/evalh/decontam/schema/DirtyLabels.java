package evalh.decontam.schema;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code evalh run --decontam} and {@code evalh report --decontam} need of a {@code
 * decontam.json}: per task, per {@code doc_id}, whether the corpus contains the item (the GPT-3 /
 * lm-eval {@code dirty} label). A task absent from the file is not covered by it.
 *
 * @param file the file read
 * @param corpusName the corpus the file names ({@code name}, {@code label}, {@code corpus} or
 *     {@code index} field), or {@code null} when it names none
 * @param items per task, doc_id to dirty
 */
public record DirtyLabels(Path file, String corpusName, Map<String, Map<Integer, Boolean>> items) {
  public DirtyLabels {
    items = Map.copyOf(items);
  }

  /** Whether the file has labels for {@code task}. */
  public boolean covers(String task) {
    return items.containsKey(task);
  }

  /** Whether {@code docId} of {@code task} is dirty; empty when the file does not cover it. */
  public Optional<Boolean> isDirty(String task, int docId) {
    Map<Integer, Boolean> m = items.get(task);
    return m == null ? Optional.empty() : Optional.ofNullable(m.get(docId));
  }

  /** The dirty doc_ids of {@code task} (empty when not covered). */
  public Set<Integer> dirtyIds(String task) {
    Set<Integer> out = new TreeSet<>();
    items
        .getOrDefault(task, Map.of())
        .forEach(
            (id, dirty) -> {
              if (dirty) {
                out.add(id);
              }
            });
    return out;
  }
}
