package evalh.tasks;

import java.util.List;

/**
 * One multiple-choice benchmark item as decontamination sees it.
 *
 * @param task leaf task name, e.g. {@code mmlu-anatomy}
 * @param docId index in the task's evaluated split ({@code doc_id} in {@code samples_<task>.jsonl})
 * @param question what decontamination searches for: the task's {@code
 *     doc_to_decontamination_query} (MMLU: the raw question), else its {@code doc_to_text}
 * @param choices the answer texts
 * @param gold index of the correct answer (-1 when the task's target is not among its choices)
 */
public record BenchmarkItem(
    String task, int docId, String question, List<String> choices, int gold) {
  public BenchmarkItem {
    choices = List.copyOf(choices);
  }
}
