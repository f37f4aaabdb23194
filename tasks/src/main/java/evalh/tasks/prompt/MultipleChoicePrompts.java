package evalh.tasks.prompt;

import evalh.tasks.data.MmluDoc;
import evalh.tasks.registry.PromptFormat;
import evalh.tasks.registry.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds multiple-choice prompts exactly as lm-eval's {@code ConfigurableTask.fewshot_context} with
 * the {@code first_n} sampler: {@code description + shot_1 + fd + ... + shot_n + fd +
 * doc_to_text(doc)}, each shot {@code doc_to_text(shot) + td + doc_to_choice(shot)[answer]}, with
 * {@code fd} the few-shot delimiter and {@code td} the target delimiter.
 *
 * <ul>
 *   <li>{@code mmlu} (lm-eval default): {@code doc_to_text = question.strip() + "\nA. " + c0 +
 *       "\nB. " + c1 + "\nC. " + c2 + "\nD. " + c3 + "\nAnswer:"}, choices {@code A..D}.
 *   <li>{@code cloze} (OLMES RC): {@code doc_to_text = "Question: " + question.strip() +
 *       "\nAnswer:"}, choices are the answer texts.
 * </ul>
 */
public final class MultipleChoicePrompts {
  private static final List<String> LETTERS = List.of("A", "B", "C", "D");

  private final TaskSpec task;
  private final String description;
  private final List<MmluDoc> shots;

  /**
   * @param fewshotPool the few-shot split in dataset order
   * @param numFewshot how many examples to prepend (the first n of the pool)
   */
  public MultipleChoicePrompts(
      TaskSpec task, DescriptionStyle style, List<MmluDoc> fewshotPool, int numFewshot) {
    if (numFewshot > fewshotPool.size()) {
      throw new IllegalArgumentException(
          task.name()
              + ": --num-fewshot "
              + numFewshot
              + " but the few-shot split '"
              + task.fewshotSplit()
              + "' has only "
              + fewshotPool.size()
              + " items");
    }
    this.task = task;
    this.description = style.apply(task.description());
    this.shots = List.copyOf(fewshotPool.subList(0, numFewshot));
  }

  public ChoicePrompt build(MmluDoc doc) {
    StringBuilder ctx = new StringBuilder(description);
    if (!shots.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (MmluDoc s : shots) {
        parts.add(docToText(s) + task.targetDelimiter() + choices(s).get(s.answer()));
      }
      ctx.append(String.join(task.fewshotDelimiter(), parts)).append(task.fewshotDelimiter());
    }
    ctx.append(docToText(doc));
    List<String> choices = choices(doc);
    List<String> conts = choices.stream().map(c -> task.targetDelimiter() + c).toList();
    return new ChoicePrompt(ctx.toString(), choices, conts, doc.answer());
  }

  /** lm-eval's {@code doc_to_text} of the task's prompt format. */
  public String docToText(MmluDoc doc) {
    String q = PyStr.strip(doc.question());
    if (task.prompt() == PromptFormat.CLOZE) {
      return "Question: " + q + "\nAnswer:";
    }
    List<String> c = doc.choices();
    return q
        + "\nA. "
        + c.get(0)
        + "\nB. "
        + c.get(1)
        + "\nC. "
        + c.get(2)
        + "\nD. "
        + c.get(3)
        + "\nAnswer:";
  }

  /** lm-eval's {@code doc_to_choice}. */
  public List<String> choices(MmluDoc doc) {
    return task.prompt() == PromptFormat.CLOZE ? doc.choices() : LETTERS;
  }
}
