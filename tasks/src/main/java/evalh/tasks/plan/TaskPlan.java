package evalh.tasks.plan;

import evalh.tasks.data.Doc;
import evalh.tasks.data.Skip;
import evalh.tasks.data.TextDoc;
import evalh.tasks.prompt.ChoicePrompt;
import evalh.tasks.registry.TaskSpec;
import java.util.List;

/** A task ready to score: its items and the requests they make. */
public sealed interface TaskPlan {
  TaskSpec spec();

  int numFewshot();

  /** Items in the evaluated split ({@code n-samples.original}). */
  int original();

  List<Skip> skips();

  List<String> sources();

  /** Number of evaluated items. */
  int size();

  /** Doc id of evaluated item {@code i}. */
  int docId(int i);

  /**
   * A multiple-choice task.
   *
   * @param docs the evaluated items
   * @param prompts one per item
   */
  record Choice(
      TaskSpec spec,
      int numFewshot,
      int original,
      List<Skip> skips,
      List<String> sources,
      List<Doc> docs,
      List<ChoicePrompt> prompts)
      implements TaskPlan {
    @Override
    public int size() {
      return docs.size();
    }

    @Override
    public int docId(int i) {
      return docs.get(i).docId();
    }
  }

  /**
   * A perplexity task.
   *
   * @param docs the evaluated documents
   * @param targets the text the model reads (after the detokenizer, if any)
   */
  record Rolling(
      TaskSpec spec,
      int original,
      List<Skip> skips,
      List<String> sources,
      List<TextDoc> docs,
      List<String> targets)
      implements TaskPlan {
    @Override
    public int numFewshot() {
      return 0;
    }

    @Override
    public int size() {
      return docs.size();
    }

    @Override
    public int docId(int i) {
      return docs.get(i).docId();
    }
  }
}
