package evalh.tasks.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The dirty labels of a {@code decontam.json} ({@code "schema": "evalh.decontam/1"}): per task, the
 * {@code doc_id}s whose {@code dirty} is true. A task absent from the file counts as clean.
 */
final class DecontamLabels {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final Map<String, Set<Integer>> dirty;

  private DecontamLabels(Path file, Map<String, Set<Integer>> dirty) {
    this.file = file;
    this.dirty = dirty;
  }

  static DecontamLabels read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--decontam " + file + ": not readable JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.path("schema").asText().startsWith("evalh.decontam/")) {
      throw new IllegalArgumentException(
          "--decontam " + file + ": 'schema' must be evalh.decontam/1 (output of evalh decontam)");
    }
    JsonNode tasks = root.get("tasks");
    if (tasks == null || !tasks.isObject()) {
      throw new IllegalArgumentException("--decontam " + file + ": missing 'tasks' object");
    }
    Map<String, Set<Integer>> dirty = new HashMap<>();
    for (Map.Entry<String, JsonNode> t : tasks.properties()) {
      JsonNode items = t.getValue().get("items");
      if (items == null || !items.isArray()) {
        throw new IllegalArgumentException(
            "--decontam " + file + ": tasks." + t.getKey() + ".items must be a list");
      }
      Set<Integer> ids = new HashSet<>();
      int i = 0;
      for (JsonNode it : items) {
        if (!it.path("doc_id").canConvertToInt() || !it.path("dirty").isBoolean()) {
          throw new IllegalArgumentException(
              "--decontam "
                  + file
                  + ": tasks."
                  + t.getKey()
                  + ".items["
                  + i
                  + "] needs an integer 'doc_id' and a boolean 'dirty'");
        }
        if (it.get("dirty").asBoolean()) {
          ids.add(it.get("doc_id").asInt());
        }
        i++;
      }
      dirty.put(t.getKey(), ids);
    }
    return new DecontamLabels(file, dirty);
  }

  boolean covers(String task) {
    return dirty.containsKey(task);
  }

  /** Per evaluated item of the plan: dirty or not. */
  boolean[] dirtyMask(TaskPlan plan) {
    Set<Integer> ids = dirty.getOrDefault(plan.spec().name(), Set.of());
    boolean[] m = new boolean[plan.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = ids.contains(plan.docId(i));
    }
    return m;
  }

  Path file() {
    return file;
  }
}
