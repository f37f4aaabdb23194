package evalh.tasks.plan;

import evalh.tasks.data.DataRoot;
import evalh.tasks.data.Doc;
import evalh.tasks.data.HfData;
import evalh.tasks.data.Loaded;
import evalh.tasks.data.MmluData;
import evalh.tasks.data.TextData;
import evalh.tasks.data.TextDoc;
import evalh.tasks.prompt.ChoicePrompt;
import evalh.tasks.prompt.DescriptionStyle;
import evalh.tasks.prompt.MultipleChoicePrompts;
import evalh.tasks.prompt.WikitextDetokenizer;
import evalh.tasks.registry.OutputType;
import evalh.tasks.registry.RegistryException;
import evalh.tasks.registry.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/** Reads a task's data and builds its prompts. */
public final class TaskLoader {
  private final DataRoot root;
  private final Integer numFewshot;
  private final int limit;
  private final DescriptionStyle style;

  /**
   * @param numFewshot overrides the task's default when not null
   * @param limit at most this many items per task ({@code < 0}: all), lm-eval's {@code --limit}
   */
  public TaskLoader(DataRoot root, Integer numFewshot, int limit, DescriptionStyle style) {
    this.root = root;
    this.numFewshot = numFewshot;
    this.limit = limit;
    this.style = style;
  }

  public TaskPlan load(TaskSpec t) {
    return t.outputType() == OutputType.MULTIPLE_CHOICE ? choice(t) : rolling(t);
  }

  private TaskPlan.Choice choice(TaskSpec t) {
    Loaded<? extends Doc> test = docs(t, t.testSplit());
    int shots = numFewshot != null ? numFewshot : t.numFewshot();
    List<? extends Doc> pool = List.of();
    if (shots > 0) {
      String split = t.fewshotSource();
      pool = split.equals(t.testSplit()) ? test.docs() : docs(t, split).docs();
    }
    MultipleChoicePrompts prompts = new MultipleChoicePrompts(t, style, pool, shots);
    List<Doc> docs = List.copyOf(limited(test.docs()));
    List<ChoicePrompt> built = new ArrayList<>(docs.size());
    for (Doc d : docs) {
      built.add(prompts.build(d));
    }
    return new TaskPlan.Choice(
        t, shots, test.docs().size(), test.skips(), test.sources(), docs, List.copyOf(built));
  }

  /** The items of one split of a multiple-choice task, by its reader. */
  public static Loaded<? extends Doc> docs(DataRoot root, TaskSpec t, String split) {
    return switch (t.datasetKind()) {
      case HF -> HfData.load(root, t.datasetPath(), t.datasetName(), split);
      case MMLU -> MmluData.load(root, t.dataset().get("subject"), split);
      case PALOMA, C4, WIKITEXT ->
          throw new RegistryException(
              t.name()
                  + ": dataset kind '"
                  + t.datasetKind().yamlName()
                  + "' holds documents, not multiple-choice items");
    };
  }

  private Loaded<? extends Doc> docs(TaskSpec t, String split) {
    return docs(root, t, split);
  }

  private TaskPlan.Rolling rolling(TaskSpec t) {
    Loaded<TextDoc> l = TextData.load(root, t.dataset(), t.testSplit(), t.textField(), limit);
    List<String> targets = new ArrayList<>(l.docs().size());
    for (TextDoc d : l.docs()) {
      targets.add(
          "wikitext".equals(t.detokenizer()) ? WikitextDetokenizer.detokenize(d.text()) : d.text());
    }
    return new TaskPlan.Rolling(
        t, l.docs().size(), l.skips(), l.sources(), l.docs(), List.copyOf(targets));
  }

  private <T> List<T> limited(List<T> docs) {
    return limit >= 0 && docs.size() > limit ? docs.subList(0, limit) : docs;
  }
}
