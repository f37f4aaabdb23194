package evalh.decontam.schema;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code decontam.json} format ({@value #SCHEMA}) that {@code evalh decontam} writes, and its
 * one reader. The reader needs {@code schema} (the file says which tool wrote it, and a newer
 * format is refused rather than misread), {@code tasks.<task>.items[]} with an integer {@code
 * doc_id} and a boolean {@code dirty}; each item's {@code content_hash} ({@link #itemHash}) is read
 * when present, so that a reader can refuse labels meant for other items; where the paraphrase pass
 * ran, {@code paraphrase} with a boolean {@code suspect} (both additions to {@value #SCHEMA}: files
 * without them read as before). Other fields are the report's and are ignored here.
 */
public final class DecontamJson {
  /** The value of the {@code schema} field this evalh writes and reads. */
  public static final String SCHEMA = "evalh.decontam/1";

  /** What every {@code schema} value of this format starts with. */
  static final String SCHEMA_FAMILY = "evalh.decontam/";

  /** The file name {@code evalh decontam --out DIR} writes into DIR. */
  public static final String FILE_NAME = "decontam.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private DecontamJson() {}

  /** Reads {@code file}; a directory means its {@value #FILE_NAME}. */
  public static DirtyLabels read(Path file) {
    Path f = Files.isDirectory(file) ? file.resolve(FILE_NAME) : file;
    JsonNode root;
    try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      root = JSON.readTree(in);
    } catch (JacksonException e) {
      throw new DecontamFormatException(f + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new DecontamFormatException("cannot read " + f + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new DecontamFormatException(f + ": expected a JSON object");
    }
    JsonNode schema = root.path("schema");
    if (!schema.isTextual() || !schema.asText().startsWith(SCHEMA_FAMILY)) {
      throw new DecontamFormatException(
          f
              + ": schema is "
              + (schema.isMissingNode() ? "missing" : "'" + schema.asText() + "'")
              + ", expected "
              + SCHEMA
              + " (the output of evalh decontam)");
    }
    JsonNode tasks = root.path("tasks");
    if (!tasks.isObject()) {
      throw new DecontamFormatException(f + ": missing object field 'tasks'");
    }
    Map<String, Map<Integer, Boolean>> items = new LinkedHashMap<>();
    Map<String, Set<Integer>> suspects = new LinkedHashMap<>();
    Map<String, Map<Integer, String>> hashes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> t : tasks.properties()) {
      JsonNode list = t.getValue().path("items");
      if (!list.isArray()) {
        throw new DecontamFormatException(f + ": tasks." + t.getKey() + ".items: expected a list");
      }
      Map<Integer, Boolean> m = new HashMap<>();
      Map<Integer, String> h = new HashMap<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode it = list.get(i);
        String where = f + ": tasks." + t.getKey() + ".items[" + i + "]";
        if (!it.path("doc_id").isIntegralNumber() || !it.path("doc_id").canConvertToInt()) {
          throw new DecontamFormatException(where + ": missing integer 'doc_id'");
        }
        if (!it.path("dirty").isBoolean()) {
          throw new DecontamFormatException(where + ": missing boolean 'dirty'");
        }
        if (m.put(it.path("doc_id").asInt(), it.path("dirty").asBoolean()) != null) {
          throw new DecontamFormatException(where + ": doc_id " + it.path("doc_id") + " twice");
        }
        JsonNode hash = it.path(CONTENT_HASH);
        if (hash.isTextual()) {
          h.put(it.path("doc_id").asInt(), hash.asText());
        } else if (!hash.isMissingNode()) {
          throw new DecontamFormatException(where + ": '" + CONTENT_HASH + "' is not a string");
        }
        JsonNode para = it.path("paraphrase");
        if (!para.isMissingNode()) {
          if (!para.path("suspect").isBoolean()) {
            throw new DecontamFormatException(where + ".paraphrase: missing boolean 'suspect'");
          }
          Set<Integer> s = suspects.computeIfAbsent(t.getKey(), k -> new TreeSet<>());
          if (para.path("suspect").asBoolean()) {
            s.add(it.path("doc_id").asInt());
          }
        }
      }
      items.put(t.getKey(), m);
      hashes.put(t.getKey(), h);
    }
    JsonNode data = root.path(BENCHMARK_DATA).path("source");
    return new DirtyLabels(
        f, corpusName(root), items, suspects, hashes, data.isTextual() ? data.asText() : null);
  }

  /** The per-item field holding {@link #itemHash}. */
  public static final String CONTENT_HASH = "content_hash";

  /** The top-level object naming the benchmark data the items were read from. */
  public static final String BENCHMARK_DATA = "benchmark_data";

  /**
   * The content hash of a multiple-choice item: {@code sha256:} over the JSON array {@code
   * [question, [choices...], gold]} (UTF-8, no spaces). Computed from the same three fields by
   * {@code evalh decontam} (BenchmarkItems), by {@code evalh run} (the evaluated docs) and by
   * {@code evalh report} (a samples file's {@code doc}), so labels go only to the items checked.
   */
  public static String itemHash(String question, List<String> choices, int gold) {
    var arr = JSON.createArrayNode();
    arr.add(question);
    var cs = arr.addArray();
    choices.forEach(cs::add);
    arr.add(gold);
    try {
      return "sha256:"
          + HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(JSON.writeValueAsString(arr).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | JacksonException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The first non-blank of name, label, corpus, index (or their name/label/path/dir), else null.
   */
  private static String corpusName(JsonNode root) {
    for (String k : List.of("name", "label", "corpus", "index")) {
      JsonNode v = root.path(k);
      if (v.isTextual() && !v.asText().isBlank()) {
        return v.asText();
      }
      if (v.isObject()) {
        for (String k2 : List.of("name", "label", "path", "dir")) {
          if (v.path(k2).isTextual() && !v.path(k2).asText().isBlank()) {
            return v.path(k2).asText();
          }
        }
      }
    }
    return null;
  }
}
