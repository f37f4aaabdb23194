package evalh.reporting.results;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code decontam.json} ({@code schema: evalh.decontam/1}): {@code tasks.<task>.items[]} with
 * {@code doc_id} and {@code dirty}. Other fields are ignored.
 */
public final class DecontamReader {
  private static final ObjectMapper JSON = Json.MAPPER;

  private DecontamReader() {}

  /** Reads {@code file}; a directory means its {@code decontam.json}. */
  public static DecontamReport read(Path file) {
    Path f = Files.isDirectory(file) ? file.resolve("decontam.json") : file;
    JsonNode root;
    try {
      root = JSON.readTree(Files.newBufferedReader(f));
    } catch (JacksonException e) {
      throw new ResultsFormatException(f + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ResultsFormatException("cannot read " + f + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ResultsFormatException(f + ": expected a JSON object");
    }
    JsonNode schema = root.path("schema");
    if (schema.isTextual() && !schema.asText().startsWith("evalh.decontam/")) {
      throw new ResultsFormatException(
          f + ": schema is '" + schema.asText() + "', expected evalh.decontam/1");
    }
    JsonNode tasks = root.path("tasks");
    if (!tasks.isObject()) {
      throw new ResultsFormatException(f + ": missing object field 'tasks'");
    }
    Map<String, Map<Integer, Boolean>> dirty = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> t : tasks.properties()) {
      JsonNode items = t.getValue().path("items");
      if (!items.isArray()) {
        throw new ResultsFormatException(f + ": tasks." + t.getKey() + ".items: expected a list");
      }
      Map<Integer, Boolean> m = new HashMap<>();
      for (int i = 0; i < items.size(); i++) {
        JsonNode it = items.get(i);
        String where = f + ": tasks." + t.getKey() + ".items[" + i + "]";
        if (!it.path("doc_id").isIntegralNumber()) {
          throw new ResultsFormatException(where + ": missing integer 'doc_id'");
        }
        if (!it.path("dirty").isBoolean()) {
          throw new ResultsFormatException(where + ": missing boolean 'dirty'");
        }
        m.put(it.path("doc_id").asInt(), it.path("dirty").asBoolean());
      }
      dirty.put(t.getKey(), m);
    }
    return new DecontamReport(label(root, f), f, dirty);
  }

  /** The corpus name: a name/corpus/index field of the file, else the directory it lies in. */
  static String label(JsonNode root, Path f) {
    for (String k : List.of("name", "label", "corpus", "index")) {
      JsonNode v = root.path(k);
      if (v.isTextual() && !v.asText().isBlank()) {
        return RunLabels.checkpointName(v.asText());
      }
      if (v.isObject()) {
        for (String k2 : List.of("name", "label", "path", "dir")) {
          if (v.path(k2).isTextual() && !v.path(k2).asText().isBlank()) {
            return RunLabels.checkpointName(v.path(k2).asText());
          }
        }
      }
    }
    Path parent = f.toAbsolutePath().getParent();
    String stem = f.getFileName().toString().replaceFirst("\\.json$", "");
    if (stem.equals("decontam") && parent != null && parent.getFileName() != null) {
      return parent.getFileName().toString();
    }
    return stem;
  }
}
