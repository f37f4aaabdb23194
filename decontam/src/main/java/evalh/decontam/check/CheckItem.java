package evalh.decontam.check;

import java.util.List;

/**
 * One benchmark item to check.
 *
 * @param task leaf task name
 * @param docId index of the item in the task's evaluated split
 * @param text the text checked for n-gram overlap: question and choices, one per line
 * @param answer the gold answer text, checked separately for {@code answer_leak}
 */
public record CheckItem(String task, int docId, String text, String answer) {
  /** The item of a multiple-choice question: question plus choices checked, gold answer apart. */
  public static CheckItem multipleChoice(
      String task, int docId, String question, List<String> choices, int gold) {
    StringBuilder sb = new StringBuilder(question);
    for (String c : choices) {
      sb.append('\n').append(c);
    }
    String answer = gold >= 0 && gold < choices.size() ? choices.get(gold) : "";
    return new CheckItem(task, docId, sb.toString(), answer);
  }
}
