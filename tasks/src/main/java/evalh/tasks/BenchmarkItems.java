package evalh.tasks;

import evalh.tasks.data.DataRoot;
import evalh.tasks.data.Doc;
import evalh.tasks.data.Loaded;
import evalh.tasks.plan.TaskLoader;
import evalh.tasks.prompt.DescriptionStyle;
import evalh.tasks.prompt.MultipleChoicePrompts;
import evalh.tasks.registry.OutputType;
import evalh.tasks.registry.TaskRegistry;
import evalh.tasks.registry.TaskSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads the evaluated items of multiple-choice tasks, for decontamination. */
public final class BenchmarkItems {
  private BenchmarkItems() {}

  /**
   * Expands a task/group spec ("mmlu-science", "arc_easy,sciq") via the YAML registry and loads the
   * test-split items of every multiple-choice leaf task, whatever its dataset: the question is the
   * task's {@code doc_to_decontamination_query} (else its {@code doc_to_text}), the choices its
   * {@code doc_to_decontamination_choices} (else {@code doc_to_choice}), the gold the index of its
   * {@code doc_to_target} in {@code doc_to_choice} (-1 when it is not there). {@code dataDir} null
   * means {@code $EVALH_DATA}, or the bundled sample data when that is not set. Items that the run
   * skips are left out here too, so doc ids always match {@code samples_*.jsonl}.
   */
  public static List<BenchmarkItem> load(String taskSpec, Path dataDir) {
    return load(TaskRegistry.bundled(), taskSpec, resolveRoot(dataDir));
  }

  public static List<BenchmarkItem> load(TaskRegistry registry, String taskSpec, DataRoot root) {
    List<BenchmarkItem> out = new ArrayList<>();
    for (TaskSpec t : registry.resolve(taskSpec).tasks()) {
      if (t.outputType() != OutputType.MULTIPLE_CHOICE) {
        continue;
      }
      Loaded<? extends Doc> loaded = TaskLoader.docs(root, t, t.testSplit());
      MultipleChoicePrompts p =
          new MultipleChoicePrompts(t, DescriptionStyle.DEFAULT, List.of(), 0);
      for (Doc d : loaded.docs()) {
        out.add(item(t, p, d));
      }
    }
    return out;
  }

  /**
   * One document of a multiple-choice task as decontamination sees it (what {@link #load} gives for
   * it), e.g. to check that a decontam.json labels the items a run evaluates.
   */
  public static BenchmarkItem item(TaskSpec t, Doc d) {
    return item(t, new MultipleChoicePrompts(t, DescriptionStyle.DEFAULT, List.of(), 0), d);
  }

  private static BenchmarkItem item(TaskSpec t, MultipleChoicePrompts p, Doc d) {
    List<String> choices = p.choices(d);
    Object target = p.target(d);
    int gold =
        target instanceof Long i
            ? (i < choices.size() ? (int) (long) i : -1)
            : choices.indexOf((String) target);
    return new BenchmarkItem(
        t.name(), d.docId(), p.decontaminationQuery(d), p.decontaminationChoices(d), gold);
  }

  /** {@code dataDir}, else {@code $EVALH_DATA}, else the bundled sample data. */
  public static DataRoot resolveRoot(Path dataDir) {
    if (dataDir != null) {
      return DataRoot.of(dataDir);
    }
    DataRoot env = DataRoot.fromEnvironment();
    return env != null ? env : DataRoot.bundledSample();
  }
}
