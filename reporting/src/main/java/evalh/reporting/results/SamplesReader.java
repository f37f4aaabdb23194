package evalh.reporting.results;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.core.io.SafeNames;
import evalh.decontam.schema.DecontamJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads lm-eval {@code --log_samples} files: {@code samples_<task>.jsonl} (evalh) or {@code
 * samples_<task>_<timestamp>.jsonl} (lm-eval 0.4), one JSON object per evaluated item.
 */
public final class SamplesReader {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Pattern TIMESTAMP =
      Pattern.compile("_\\d{4}-\\d{2}-\\d{2}T\\d{2}[-:]\\d{2}[-:]\\d{2}(\\.\\d+)?");
  private static final Set<String> NOT_METRICS =
      Set.of(
          "doc_id",
          "doc",
          "target",
          "arguments",
          "resps",
          "filtered_resps",
          "filter",
          "metrics",
          "doc_hash",
          "prompt_hash",
          "target_hash");

  /** Per-line provenance evalh writes: the run's checkpoint fingerprint and task config hash. */
  public static final String CHECKPOINT_FINGERPRINT = "checkpoint_fingerprint";

  public static final String TASK_HASH = "task_hash";

  private static final List<String> QUESTION_FIELDS =
      List.of("question", "query", "problem", "prompt", "text", "sentence", "ctx", "goal");

  private SamplesReader() {}

  /** The samples file of {@code task} in {@code runDir}, if the run logged samples. */
  public static Optional<Path> find(Path runDir, String task) {
    if (!SafeNames.isSafe(task)) {
      return Optional.empty(); // a task name of results.json must not lead outside the run
    }
    Path exact = runDir.resolve("samples_" + task + ".jsonl");
    if (Files.isRegularFile(exact)) {
      return Optional.of(exact);
    }
    String prefix = "samples_" + task;
    try (Stream<Path> files = Files.list(runDir)) {
      return files
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix)
                    && n.endsWith(".jsonl")
                    && TIMESTAMP
                        .matcher(n.substring(prefix.length(), n.length() - ".jsonl".length()))
                        .matches();
              })
          .max(Path::compareTo); // the newest timestamp sorts last
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Reads every item of {@code file}; errors name the file and line. */
  public static TaskSamples read(String task, Path file) {
    Map<String, SortedMap<Integer, SampleItem>> byFilter = new LinkedHashMap<>();
    Set<String> provenance = new HashSet<>();
    try (BufferedReader in = Files.newBufferedReader(file)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        SampleItem item = parse(file, lineNo, line, provenance);
        SampleItem dup =
            byFilter.computeIfAbsent(item.filter(), f -> new TreeMap<>()).put(item.docId(), item);
        if (dup != null) {
          throw new ResultsFormatException(
              file
                  + ":"
                  + lineNo
                  + ": doc_id "
                  + item.docId()
                  + " appears twice for filter '"
                  + item.filter()
                  + "'");
        }
      }
    } catch (IOException e) {
      throw new ResultsFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new TaskSamples(task, file, byFilter, provenance);
  }

  private static SampleItem parse(Path file, int lineNo, String line, Set<String> provenance) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JacksonException e) {
      throw new ResultsFormatException(
          file + ":" + lineNo + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new ResultsFormatException(file + ":" + lineNo + ": expected a JSON object");
    }
    JsonNode id = n.path("doc_id");
    if (!id.canConvertToInt() || !id.isIntegralNumber()) {
      throw new ResultsFormatException(
          file + ":" + lineNo + ": missing or non-integer field 'doc_id'");
    }
    String filter = n.path("filter").isTextual() ? n.path("filter").asText() : "none";
    provenance.add(
        TaskSamples.provenanceKey(
            n.path(CHECKPOINT_FINGERPRINT).asText(null), n.path(TASK_HASH).asText(null)));
    Optional<String> hash =
        n.path("doc_hash").isTextual()
            ? Optional.of(n.path("doc_hash").asText())
            : Optional.empty();

    Set<String> metricNames = new HashSet<>();
    if (n.path("metrics").isArray()) {
      n.path("metrics").forEach(m -> metricNames.add(m.asText()));
    }
    Map<String, Double> scalars = new HashMap<>();
    Map<String, double[]> pairs = new HashMap<>();
    for (Map.Entry<String, JsonNode> f : n.properties()) {
      String key = f.getKey();
      if (NOT_METRICS.contains(key) || (!metricNames.isEmpty() && !metricNames.contains(key))) {
        continue;
      }
      JsonNode v = f.getValue();
      if (v.isNumber()) {
        scalars.put(key, v.asDouble());
      } else if (v.isBoolean()) {
        scalars.put(key, v.asBoolean() ? 1.0 : 0.0);
      } else if (v.isArray() && v.size() == 2 && v.get(0).isNumber() && v.get(1).isNumber()) {
        pairs.put(key, new double[] {v.get(0).asDouble(), v.get(1).asDouble()});
      } else if (metricNames.contains(key)) {
        throw new ResultsFormatException(
            file
                + ":"
                + lineNo
                + ": metric field '"
                + key
                + "' must be a number or a [value, weight] pair, got "
                + v);
      }
    }
    return new SampleItem(
        id.asInt(), filter, hash, question(n), target(n), scalars, pairs, contentHash(n));
  }

  /**
   * The content hash of a multiple-choice doc (question, choices, integer answer), if it is one.
   */
  private static Optional<String> contentHash(JsonNode n) {
    JsonNode doc = n.path("doc");
    JsonNode q = doc.path("question");
    JsonNode cs = doc.path("choices");
    JsonNode a = doc.path("answer");
    if (!q.isTextual() || !cs.isArray() || !a.isIntegralNumber() || !a.canConvertToInt()) {
      return Optional.empty();
    }
    List<String> choices = new ArrayList<>();
    for (JsonNode c : cs) {
      if (!c.isTextual()) {
        return Optional.empty();
      }
      choices.add(c.asText());
    }
    return Optional.of(DecontamJson.itemHash(q.asText(), choices, a.asInt()));
  }

  private static String question(JsonNode n) {
    JsonNode doc = n.path("doc");
    for (String f : QUESTION_FIELDS) {
      if (doc.path(f).isTextual()) {
        return doc.path(f).asText();
      }
    }
    if (doc.isTextual()) {
      return doc.asText();
    }
    JsonNode args = n.path("arguments");
    JsonNode first =
        args.isArray() ? args.path(0) : args.elements().hasNext() ? args.elements().next() : args;
    JsonNode ctx = first.isArray() ? first.path(0) : first.path("arg_0");
    return ctx.isTextual() ? ctx.asText() : "";
  }

  private static String target(JsonNode n) {
    JsonNode t = n.path("target");
    JsonNode choices = n.path("doc").path("choices");
    if (t.canConvertToInt() && t.isIntegralNumber() && choices.isArray()) {
      int i = t.asInt();
      if (i >= 0 && i < choices.size()) {
        return (char) ('A' + Math.min(i, 25)) + ". " + choices.get(i).asText();
      }
    }
    return t.isValueNode() ? t.asText() : t.toString();
  }
}
