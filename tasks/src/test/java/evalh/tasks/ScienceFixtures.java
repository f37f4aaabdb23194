package evalh.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Hand-made ARC, SciQ and OpenBookQA items and what lm-eval 0.4.13 makes of them: {@code
 * oracle/mc-oracle.json} (written by oracle/mc_oracle.py from lm-eval's own task YAML, Jinja
 * environment and ContextSampler) holds each task's test and train items and lm-eval's requests,
 * zero-shot and 2-shot. The items cover ARC's 3 and 5 choices and numeric labels, an OpenBookQA
 * answer key with a stray space, SciQ supports with leading whitespace (and an empty one), quotes,
 * an accent and an emoji. {@link #writeHfLayout} writes them as the HF repositories lay them out.
 */
public final class ScienceFixtures {
  public static final List<String> TASKS =
      List.of("arc_easy", "arc_challenge", "sciq", "openbookqa");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LIST =
      " (LIST) { repeated group list { optional binary element (STRING); } } ";
  private static final String CHOICES =
      " optional group choices { optional group text" + LIST + "optional group label" + LIST + "}";
  private static final MessageType ARC =
      MessageTypeParser.parseMessageType(
          "message schema { optional binary id (STRING); optional binary question (STRING);"
              + CHOICES
              + " optional binary answerKey (STRING); }");
  private static final MessageType OBQA =
      MessageTypeParser.parseMessageType(
          "message schema { optional binary id (STRING); optional binary question_stem (STRING);"
              + CHOICES
              + " optional binary answerKey (STRING); }");
  private static final MessageType SCIQ =
      MessageTypeParser.parseMessageType(
          "message schema { optional binary question (STRING); optional binary distractor3"
              + " (STRING); optional binary distractor1 (STRING); optional binary distractor2"
              + " (STRING); optional binary correct_answer (STRING); optional binary support"
              + " (STRING); }");
  private static final Map<String, String> DIRS =
      Map.of(
          "arc_easy", "allenai/ai2_arc/ARC-Easy",
          "arc_challenge", "allenai/ai2_arc/ARC-Challenge",
          "sciq", "allenai/sciq/data",
          "openbookqa", "allenai/openbookqa/main");

  private ScienceFixtures() {}

  /**
   * {@code tasks} of mc-oracle.json: per task {@code test}, {@code train}, {@code zero_shot},
   * {@code two_shot}.
   */
  public static JsonNode oracle() {
    try (InputStream in = ScienceFixtures.class.getResourceAsStream("/oracle/mc-oracle.json")) {
      return JSON.readTree(in).get("tasks");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes every task's test and train split as {@code <split>-00000-of-00001.parquet}. */
  public static void writeHfLayout(Path data) throws IOException {
    JsonNode oracle = oracle();
    for (String t : TASKS) {
      Path dir = Files.createDirectories(data.resolve(DIRS.get(t)));
      MessageType schema = t.startsWith("arc") ? ARC : t.equals("sciq") ? SCIQ : OBQA;
      for (String split : List.of("test", "train")) {
        TestParquet.writeNested(
            dir.resolve(split + "-00000-of-00001.parquet"),
            schema,
            rows(oracle.at("/" + t + "/" + split)));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(JsonNode docs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode d : docs) {
      out.add(JSON.convertValue(d, LinkedHashMap.class));
    }
    return out;
  }
}
