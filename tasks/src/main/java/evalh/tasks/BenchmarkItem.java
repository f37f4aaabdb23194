package evalh.tasks;

import java.util.List;

/**
 * One multiple-choice benchmark item as decontamination sees it.
 *
 * @param task leaf task name, e.g. {@code mmlu-anatomy}
 * @param docId index in the task's evaluated split ({@code doc_id} in {@code samples_<task>.jsonl})
 * @param question the raw question text (not the prompt)
 * @param choices the answer texts
 * @param gold index of the correct answer
 */
public record BenchmarkItem(
    String task, int docId, String question, List<String> choices, int gold) {
  public BenchmarkItem {
    choices = List.copyOf(choices);
  }
}
