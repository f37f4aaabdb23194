package evalh.reporting.results;

import evalh.decontam.schema.DirtyLabels;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One corpus's dirty labels as the report shows them: the labels of a decontam.json and the name
 * the report gives the corpus.
 *
 * @param label the corpus name shown in reports
 * @param labels the file's labels
 */
public record CorpusLabels(String label, DirtyLabels labels) {
  /** The file read. */
  public Path file() {
    return labels.file();
  }

  /** Per task, doc_id to dirty. */
  public Map<String, Map<Integer, Boolean>> dirty() {
    return labels.items();
  }

  /** Whether {@code docId} of {@code task} is dirty; empty when the report does not cover it. */
  public Optional<Boolean> isDirty(String task, int docId) {
    return labels.isDirty(task, docId);
  }

  /** Whether {@code docId} of {@code task} is dirty or a paraphrase suspect. */
  public Optional<Boolean> isNotClean(String task, int docId) {
    return labels.isNotClean(task, docId);
  }

  public CorpusLabels withLabel(String newLabel) {
    return new CorpusLabels(newLabel, labels);
  }
}
