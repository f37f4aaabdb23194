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
 * @param hashes per task, doc_id to the item's {@link DecontamJson#itemHash content hash}, for the
 *     items whose hash the file records
 * @param dataSource where the checked items were read from ({@code benchmark_data.source}), or
 *     {@code null} when the file does not say
 */
public record DirtyLabels(
    Path file,
    String corpusName,
    Map<String, Map<Integer, Boolean>> items,
    Map<String, Set<Integer>> suspects,
    Map<String, Map<Integer, String>> hashes,
    String dataSource) {
  public DirtyLabels {
    items = Map.copyOf(items);
    suspects = Map.copyOf(suspects);
    hashes = Map.copyOf(hashes);
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

  /**
   * Checks that the labels of {@code task} were made for exactly these items: every evaluated
   * doc_id is in the file with the same content hash and, when {@code allOfSplit}, the file has no
   * other item of the task.
   *
   * @param evaluated doc_id to content hash of the items being labelled, in evaluation order (a
   *     null hash: the item's content is unknown, only its doc_id is matched)
   * @return empty when they match, else a message naming the first mismatching item
   */
  public Optional<String> mismatch(
      String task, Map<Integer, String> evaluated, boolean allOfSplit) {
    Map<Integer, Boolean> labelled = items.getOrDefault(task, Map.of());
    Map<Integer, String> recorded = hashes.getOrDefault(task, Map.of());
    for (Map.Entry<Integer, String> e : evaluated.entrySet()) {
      int id = e.getKey();
      if (!labelled.containsKey(id)) {
        return Optional.of(
            task
                + " doc_id "
                + id
                + " was not checked by "
                + file
                + " ("
                + labelled.size()
                + " items of "
                + task
                + " there, "
                + evaluated.size()
                + " evaluated): it is for other data");
      }
      if (e.getValue() == null) {
        continue; // the evaluated item's content is not known: its doc_id is all that can match
      }
      String h = recorded.get(id);
      if (h == null) {
        return Optional.of(
            file
                + " records no content_hash for "
                + task
                + " doc_id "
                + id
                + " (written by an older evalh): re-run evalh decontam so that its labels can be"
                + " matched to the items");
      }
      if (!h.equals(e.getValue())) {
        return Optional.of(
            task
                + " doc_id "
                + id
                + ": the item checked by "
                + file
                + (dataSource == null ? "" : " (data: " + dataSource + ")")
                + " is not the item evaluated (content hash "
                + h
                + " there, "
                + e.getValue()
                + " here): it was made for other data");
      }
    }
    if (allOfSplit && labelled.size() != evaluated.size()) {
      int extra =
          labelled.keySet().stream()
              .filter(id -> !evaluated.containsKey(id))
              .findFirst()
              .orElse(-1);
      return Optional.of(
          task
              + ": "
              + file
              + " checked "
              + labelled.size()
              + " items, the run evaluates "
              + evaluated.size()
              + (extra >= 0 ? " (doc_id " + extra + " is not among them)" : "")
              + ": it was made for other data");
    }
    return Optional.empty();
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
