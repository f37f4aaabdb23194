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
 * @param suspects per task checked by the paraphrase pass ({@code decontam --paraphrase}), the
 *     doc_ids it calls suspects (rephrased in the corpus); a task absent here had no such pass
 */
public record DirtyLabels(
    Path file,
    String corpusName,
    Map<String, Map<Integer, Boolean>> items,
    Map<String, Set<Integer>> suspects) {
  public DirtyLabels {
    items = Map.copyOf(items);
    suspects = Map.copyOf(suspects);
  }

  /** Labels of a file without a paraphrase pass. */
  public DirtyLabels(Path file, String corpusName, Map<String, Map<Integer, Boolean>> items) {
    this(file, corpusName, items, Map.of());
  }

  /** Whether the paraphrase pass checked {@code task}. */
  public boolean hasParaphrase(String task) {
    return suspects.containsKey(task);
  }

  /** Whether {@code docId} of {@code task} is a paraphrase suspect. */
  public boolean isSuspect(String task, int docId) {
    return suspects.getOrDefault(task, Set.of()).contains(docId);
  }

  /**
   * Whether {@code docId} of {@code task} is not clean: dirty or a paraphrase suspect; empty when
   * the file does not cover it.
   */
  public Optional<Boolean> isNotClean(String task, int docId) {
    return isDirty(task, docId).map(d -> d || isSuspect(task, docId));
  }

  /** The doc_ids of {@code task} that are dirty or paraphrase suspects. */
  public Set<Integer> notCleanIds(String task) {
    Set<Integer> out = dirtyIds(task);
    out.addAll(suspects.getOrDefault(task, Set.of()));
    return out;
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
