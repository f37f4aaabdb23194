package evalh.reporting.results;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A run's results.json, parsed.
 *
 * @param resultsFile the results.json file
 * @param directory the run directory (where the samples files are)
 * @param tasks tasks and groups by name, in the file's order
 * @param higherIsBetter per task, per metric name, lm-eval's {@code higher_is_better}
 * @param checkpoint the checkpoint path or name the run scored, if recorded
 * @param info descriptive fields for the report (device, dtype, version, date, ...)
 * @param fingerprint evalh's checkpoint fingerprint, if recorded
 * @param taskHashes evalh's per-task config hashes (also written into each samples line), if
 *     recorded
 * @param sweep where the run sits in a checkpoint sweep ({@code evalh run} over step folders), if
 *     it does
 */
public record RunResults(
    Path resultsFile,
    Path directory,
    Map<String, TaskResult> tasks,
    Map<String, Map<String, Boolean>> higherIsBetter,
    Optional<String> checkpoint,
    Map<String, String> info,
    Optional<String> fingerprint,
    Map<String, String> taskHashes,
    Optional<SweepPosition> sweep) {

  public RunResults {
    tasks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    higherIsBetter = Map.copyOf(higherIsBetter);
    info = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info));
    taskHashes = Map.copyOf(taskHashes);
  }

  public Optional<TaskResult> task(String name) {
    return Optional.ofNullable(tasks.get(name));
  }

  /** Whether larger values of {@code metric} are better for {@code task}. */
  public boolean higherIsBetter(String task, MetricKey metric) {
    String base = MetricDirection.baseName(metric.name());
    Set<String> seen = new LinkedHashSet<>();
    List<String> queue = new ArrayList<>(List.of(task));
    // A group often has no higher_is_better entry of its own: ask its subtasks.
    while (!queue.isEmpty()) {
      String t = queue.removeFirst();
      if (!seen.add(t)) {
        continue;
      }
      Map<String, Boolean> hib = higherIsBetter.get(t);
      if (hib != null) {
        Boolean v = hib.get(metric.name());
        if (v == null) {
          v = hib.get(base);
        }
        if (v != null) {
          return v;
        }
      }
      TaskResult r = tasks.get(t);
      if (r != null) {
        queue.addAll(r.subtasks());
      }
    }
    return MetricDirection.higherIsBetterByName(base);
  }

  /** The leaf tasks under {@code name} (itself when it is a leaf), depth first, deduplicated. */
  public List<String> leaves(String name) {
    Set<String> out = new LinkedHashSet<>();
    collectLeaves(name, out, new LinkedHashSet<>());
    return List.copyOf(out);
  }

  private void collectLeaves(String name, Set<String> out, Set<String> path) {
    TaskResult r = tasks.get(name);
    if (r == null || r.subtasks().isEmpty()) {
      out.add(name);
      return;
    }
    if (!path.add(name)) {
      throw new IllegalStateException(
          resultsFile + ": group_subtasks has a cycle through '" + name + "'");
    }
    for (String s : r.subtasks()) {
      collectLeaves(s, out, path);
    }
    path.remove(name);
  }
}
