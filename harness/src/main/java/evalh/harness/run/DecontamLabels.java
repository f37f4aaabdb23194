package evalh.harness.run;

import evalh.decontam.schema.DecontamFormatException;
import evalh.decontam.schema.DecontamJson;
import evalh.decontam.schema.DirtyLabels;
import evalh.tasks.BenchmarkItem;
import evalh.tasks.BenchmarkItems;
import evalh.tasks.data.Doc;
import evalh.tasks.plan.TaskPlan;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The dirty labels of {@code run --decontam}'s decontam.json, read by the format's one reader
 * ({@link DecontamJson}), applied to a task plan once {@link #verify} has matched them to its items
 * by content hash. A task absent from the file counts as clean (with a warning).
 */
final class DecontamLabels {
  private final DirtyLabels labels;

  private DecontamLabels(DirtyLabels labels) {
    this.labels = labels;
  }

  static DecontamLabels read(Path file) {
    try {
      return new DecontamLabels(DecontamJson.read(file));
    } catch (DecontamFormatException e) {
      throw new IllegalArgumentException("--decontam " + e.getMessage(), e);
    }
  }

  boolean covers(String task) {
    return labels.covers(task);
  }

  /**
   * Refuses labels made for other items: every evaluated item of a covered task must be in the file
   * with the same content hash (question, choices, answer), and with no {@code --limit} the file
   * must hold no other item of the task.
   *
   * @throws IllegalArgumentException naming the first mismatching item
   */
  void verify(TaskPlan plan, boolean limited) {
    String task = plan.spec().name();
    if (!labels.covers(task)) {
      return;
    }
    if (!(plan instanceof TaskPlan.Choice c)) {
      throw new IllegalArgumentException(
          "--decontam "
              + labels.file()
              + " labels items of "
              + task
              + ", which has no multiple-choice items to label");
    }
    Map<Integer, String> evaluated = new LinkedHashMap<>();
    for (Doc d : c.docs()) {
      BenchmarkItem i = BenchmarkItems.item(plan.spec(), d);
      evaluated.put(d.docId(), DecontamJson.itemHash(i.question(), i.choices(), i.gold()));
    }
    labels
        .mismatch(task, evaluated, !limited)
        .ifPresent(
            m -> {
              throw new IllegalArgumentException("--decontam: " + m);
            });
  }

  /**
   * Per evaluated item of the plan: not clean (dirty, or a paraphrase suspect where the file has
   * the paraphrase pass) or clean.
   */
  boolean[] dirtyMask(TaskPlan plan) {
    Set<Integer> ids = labels.notCleanIds(plan.spec().name());
    boolean[] m = new boolean[plan.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = ids.contains(plan.docId(i));
    }
    return m;
  }

  Path file() {
    return labels.file();
  }
}
