package evalh.harness.run;

import evalh.decontam.schema.DecontamFormatException;
import evalh.decontam.schema.DecontamJson;
import evalh.decontam.schema.DirtyLabels;
import evalh.tasks.plan.TaskPlan;
import java.nio.file.Path;
import java.util.Set;

/**
 * The dirty labels of {@code run --decontam}'s decontam.json, read by the format's one reader
 * ({@link DecontamJson}), applied to a task plan. A task absent from the file counts as clean.
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
