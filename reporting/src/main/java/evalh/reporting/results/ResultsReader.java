package evalh.reporting.results;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads an lm-evaluation-harness style results.json ({@code results}, {@code groups}, {@code
 * group_subtasks}, {@code higher_is_better}, {@code n-samples}, {@code config}) plus evalh's own
 * top-level {@code evalh} section.
 */
public final class ResultsReader {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final List<String> INFO_FIELDS =
      List.of(
          "version",
          "device",
          "dtype",
          "checkpoint",
          "checkpoint_fingerprint",
          "tokens_scored",
          "wall_seconds",
          "tokens_per_second");

  private ResultsReader() {}

  /** Parses {@code resultsFile}; samples are looked up next to it, in {@code directory}. */
  public static RunResults read(Path resultsFile, Path directory) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.newBufferedReader(resultsFile));
    } catch (JacksonException e) {
      throw new ResultsFormatException(
          resultsFile + ": not valid JSON: " + e.getOriginalMessage() + location(e), e);
    } catch (IOException e) {
      throw new ResultsFormatException("cannot read " + resultsFile + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ResultsFormatException(resultsFile + ": expected a JSON object at the top level");
    }
    JsonNode results = root.path("results");
    if (!results.isObject()) {
      throw new ResultsFormatException(
          resultsFile
              + ": missing object field 'results' (is this an lm-eval/evalh results.json?)");
    }
    Map<String, List<String>> subtasks = readSubtasks(resultsFile, root.path("group_subtasks"));
    Set<String> groupNames = new LinkedHashSet<>();
    root.path("groups").properties().forEach(e -> groupNames.add(e.getKey()));
    subtasks.forEach(
        (g, s) -> {
          if (!s.isEmpty()) {
            groupNames.add(g);
          }
        });

    Map<String, JsonNode> entries = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : results.properties()) {
      entries.put(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, JsonNode> e : root.path("groups").properties()) {
      entries.merge(e.getKey(), e.getValue(), ResultsReader::mergeEntries);
    }

    Map<String, Long> sizes = readSizes(root.path("n-samples"));
    Map<String, TaskResult> tasks = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
      String name = e.getKey();
      tasks.put(
          name,
          readTask(
              resultsFile,
              name,
              e.getValue(),
              groupNames.contains(name),
              subtasks.getOrDefault(name, List.of()),
              sizes.get(name)));
    }
    return new RunResults(
        resultsFile,
        directory,
        tasks,
        readHigherIsBetter(root.path("higher_is_better")),
        checkpoint(root),
        readInfo(root),
        root.path("evalh").path("checkpoint_fingerprint").isTextual()
            ? Optional.of(root.path("evalh").path("checkpoint_fingerprint").asText())
            : Optional.empty(),
        readTaskHashes(root.path("evalh").path("task_hashes")),
        sweepPosition(resultsFile, root));
  }

  /** Top-level {@code step} and {@code tokens} and {@code evalh.sweep.run} of a sweep's run. */
  private static Optional<SweepPosition> sweepPosition(Path file, JsonNode root) {
    JsonNode step = root.path("step");
    if (step.isMissingNode() || step.isNull()) {
      return Optional.empty();
    }
    if (!step.canConvertToExactIntegral() || step.asLong() < 0) {
      throw new ResultsFormatException(
          file + ": 'step' must be a non-negative integer, got " + step);
    }
    JsonNode tokens = root.path("tokens");
    OptionalLong t = OptionalLong.empty();
    if (!tokens.isMissingNode() && !tokens.isNull()) {
      if (!tokens.canConvertToExactIntegral() || tokens.asLong() < 0) {
        throw new ResultsFormatException(
            file + ": 'tokens' must be a non-negative integer, got " + tokens);
      }
      t = OptionalLong.of(tokens.asLong());
    }
    String run = root.path("evalh").path("sweep").path("run").asText("");
    if (run.isEmpty()) {
      Path dir = file.toAbsolutePath().getParent();
      Path parent = dir == null ? null : dir.getParent();
      run =
          parent == null || parent.getFileName() == null ? "run" : parent.getFileName().toString();
    }
    return Optional.of(new SweepPosition(run, step.asLong(), t));
  }

  private static Map<String, String> readTaskHashes(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    node.properties()
        .forEach(
            e -> {
              if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
              }
            });
    return out;
  }

  private static JsonNode mergeEntries(JsonNode fromResults, JsonNode fromGroups) {
    if (!fromResults.isObject() || !fromGroups.isObject()) {
      return fromResults;
    }
    var merged = fromGroups.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) merged)
        .setAll((com.fasterxml.jackson.databind.node.ObjectNode) fromResults);
    return merged;
  }

  private static TaskResult readTask(
      Path file, String name, JsonNode node, boolean group, List<String> subtasks, Long size) {
    if (!node.isObject()) {
      throw new ResultsFormatException(
          file
              + ": results."
              + name
              + ": expected an object of metrics, got "
              + node.getNodeType());
    }
    Map<MetricKey, Double> metrics = new LinkedHashMap<>();
    Map<MetricKey, Double> stderrs = new LinkedHashMap<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    String alias = node.path("alias").isTextual() ? node.path("alias").asText().strip() : name;
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      String key = f.getKey();
      JsonNode v = f.getValue();
      if (key.indexOf(',') < 0) {
        if (v.isIntegralNumber()) {
          counts.put(key, v.asLong());
        }
        continue;
      }
      MetricKey mk = MetricKey.parse(key);
      Optional<Double> value = number(file, name, key, v);
      if (value.isEmpty()) {
        continue;
      }
      checkRange(file, name, key, mk, value.get());
      if (mk.isStderr()) {
        stderrs.put(mk.stderrOwner(), value.get());
      } else {
        metrics.put(mk, value.get());
      }
    }
    return new TaskResult(
        name,
        group,
        alias.isEmpty() ? name : alias,
        metrics,
        stderrs,
        subtasks,
        size == null ? OptionalLong.empty() : OptionalLong.of(size),
        counts);
  }

  /**
   * A value no metric can take is an error naming file, task and key: an infinite value, a negative
   * stderr, a proportion (accuracy, exact match, F1) outside [0, 1], a negative perplexity or bits
   * per byte. Read on, it would make a report's interval or a diff's "+1400% improved".
   */
  private static void checkRange(Path file, String task, String key, MetricKey mk, double v) {
    String base = mk.isStderr() ? mk.stderrOwner().name() : mk.name();
    String why = null;
    if (Double.isInfinite(v)) {
      why = "is not finite";
    } else if (mk.isStderr() && v < 0) {
      why = "is negative (a standard error is >= 0)";
    } else if (!mk.isStderr() && isProportion(base) && (v < 0 || v > 1)) {
      why = "is outside [0, 1] (" + base + " is a proportion)";
    } else if (!mk.isStderr()
        && (base.endsWith("perplexity") || base.equals("bits_per_byte"))
        && v < 0) {
      why = "is negative";
    }
    if (why != null) {
      throw new ResultsFormatException(
          file + ": results." + task + ".\"" + key + "\": " + v + " " + why);
    }
  }

  private static boolean isProportion(String metric) {
    return metric.equals("acc")
        || metric.startsWith("acc_")
        || metric.equals("exact_match")
        || metric.equals("f1");
  }

  /** A metric value: a number, or absent for lm-eval's "N/A" and null. */
  private static Optional<Double> number(Path file, String task, String key, JsonNode v) {
    if (v.isNumber()) {
      double d = v.asDouble();
      return Double.isNaN(d) ? Optional.empty() : Optional.of(d);
    }
    if (v.isNull() || v.isMissingNode()) {
      return Optional.empty();
    }
    if (v.isTextual()) {
      String s = v.asText().strip();
      if (s.isEmpty() || s.equalsIgnoreCase("N/A") || s.equalsIgnoreCase("nan")) {
        return Optional.empty();
      }
      try {
        return Optional.of(Double.parseDouble(s));
      } catch (NumberFormatException e) {
        throw new ResultsFormatException(
            file + ": results." + task + ".\"" + key + "\": expected a number, got \"" + s + "\"");
      }
    }
    if (v.isArray() || v.isObject()) {
      // Some metrics (e.g. per-class breakdowns) are structured; they are not compared.
      return Optional.empty();
    }
    throw new ResultsFormatException(
        file + ": results." + task + ".\"" + key + "\": expected a number, got " + v);
  }

  private static Map<String, List<String>> readSubtasks(Path file, JsonNode node) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isArray()) {
        throw new ResultsFormatException(
            file + ": group_subtasks." + e.getKey() + ": expected a list of task names");
      }
      List<String> list = new ArrayList<>();
      e.getValue().forEach(n -> list.add(n.asText()));
      out.put(e.getKey(), list);
    }
    return out;
  }

  private static Map<String, Long> readSizes(JsonNode node) {
    Map<String, Long> out = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode eff = e.getValue().path("effective");
      if (eff.isNumber()) {
        out.put(e.getKey(), eff.asLong());
      } else if (e.getValue().isNumber()) {
        out.put(e.getKey(), e.getValue().asLong());
      }
    }
    return out;
  }

  private static Map<String, Map<String, Boolean>> readHigherIsBetter(JsonNode node) {
    Map<String, Map<String, Boolean>> out = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      Map<String, Boolean> m = new HashMap<>();
      for (Map.Entry<String, JsonNode> f : e.getValue().properties()) {
        if (f.getValue().isBoolean()) {
          m.put(f.getKey(), f.getValue().asBoolean());
        }
      }
      out.put(e.getKey(), m);
    }
    return out;
  }

  /** The checkpoint: evalh's own field, else lm-eval's {@code pretrained=} model argument. */
  static Optional<String> checkpoint(JsonNode root) {
    JsonNode ck = root.path("evalh").path("checkpoint");
    if (ck.isTextual() && !ck.asText().isBlank()) {
      return Optional.of(ck.asText());
    }
    JsonNode args = root.path("config").path("model_args");
    if (args.isObject()) {
      for (String k : List.of("pretrained", "ckpt", "checkpoint", "path", "model")) {
        if (args.path(k).isTextual() && !args.path(k).asText().isBlank()) {
          return Optional.of(args.path(k).asText());
        }
      }
    } else if (args.isTextual()) {
      Map<String, String> kv = new LinkedHashMap<>();
      for (String part : args.asText().split(",", -1)) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          kv.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
      }
      for (String k : List.of("pretrained", "ckpt", "checkpoint", "path", "model")) {
        String v = kv.get(k);
        if (v != null && !v.isBlank()) {
          return Optional.of(v);
        }
      }
    }
    return Optional.empty();
  }

  private static Map<String, String> readInfo(JsonNode root) {
    Map<String, String> info = new LinkedHashMap<>();
    JsonNode evalh = root.path("evalh");
    for (String f : INFO_FIELDS) {
      JsonNode v = evalh.path(f);
      if (v.isValueNode() && !v.isNull()) {
        info.put(f, v.asText());
      }
    }
    JsonNode config = root.path("config");
    if (config.path("model").isTextual()) {
      info.putIfAbsent("model", config.path("model").asText());
    }
    if (config.path("model_args").isTextual()) {
      info.putIfAbsent("model_args", config.path("model_args").asText());
    }
    for (String f : List.of("date", "git_hash")) {
      JsonNode v = root.path(f);
      if (v.isValueNode() && !v.isNull()) {
        info.putIfAbsent(f, v.asText());
      }
    }
    return info;
  }

  private static String location(JacksonException e) {
    var loc = e.getLocation();
    return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }
}
