package evalh.tasks.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.tasks.BenchmarkItem;
import evalh.tasks.BenchmarkItems;
import evalh.tasks.TestParquet;
import evalh.tasks.data.DataRoot;
import evalh.tasks.registry.TaskRegistry;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code evalh run --task arc_easy,arc_challenge,sciq,openbookqa} on hand-made items in the HF
 * repositories' parquet layouts. The oracle ({@code oracle/mc-oracle.json}, from lm-eval 0.4.13's
 * own task YAML, Jinja environment and ContextSampler; see oracle/mc_oracle.py) holds the items and
 * the requests lm-eval builds for them, zero-shot and 2-shot from the train split. The items cover
 * ARC's 3 and 5 choices and numeric labels, an OpenBookQA answer key with a stray space, SciQ
 * supports with leading whitespace (and an empty one), quotes, an accent and an emoji.
 */
class ScienceTasksTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TASKS =
      List.of("arc_easy", "arc_challenge", "sciq", "openbookqa");
  private static final String LIST =
      " (LIST) { repeated group list { optional binary element (STRING); } } ";
  private static final MessageType ARC =
      MessageTypeParser.parseMessageType(
          "message schema { optional binary id (STRING); optional binary question (STRING);"
              + " optional group choices { optional group text"
              + LIST
              + "optional group label"
              + LIST
              + "} optional binary answerKey (STRING); }");
  private static final MessageType OBQA =
      MessageTypeParser.parseMessageType(
          "message schema { optional binary id (STRING); optional binary question_stem (STRING);"
              + " optional group choices { optional group text"
              + LIST
              + "optional group label"
              + LIST
              + "} optional binary answerKey (STRING); }");
  private static final MessageType SCIQ =
      MessageTypeParser.parseMessageType(
          "message schema { optional binary question (STRING); optional binary distractor3"
              + " (STRING); optional binary distractor1 (STRING); optional binary distractor2"
              + " (STRING); optional binary correct_answer (STRING); optional binary support"
              + " (STRING); }");

  @TempDir static Path data;
  @TempDir Path tmp;
  private static JsonNode oracle;
  private final StringWriter err = new StringWriter();
  private final FakeEvaluator fake = new FakeEvaluator();

  @BeforeAll
  static void writeHfLayout() throws Exception {
    try (InputStream in = ScienceTasksTest.class.getResourceAsStream("/oracle/mc-oracle.json")) {
      oracle = JSON.readTree(in).get("tasks");
    }
    Map<String, String> dirs =
        Map.of(
            "arc_easy", "allenai/ai2_arc/ARC-Easy",
            "arc_challenge", "allenai/ai2_arc/ARC-Challenge",
            "sciq", "allenai/sciq/data",
            "openbookqa", "allenai/openbookqa/main");
    for (String t : TASKS) {
      Path dir = Files.createDirectories(data.resolve(dirs.get(t)));
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

  private int run(String... args) {
    CommandLine cl = new CommandLine(new RunCommand((c, o) -> fake));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private Path runTasks(String shots) {
    Path o = tmp.resolve("out" + shots);
    assertThat(
            run(
                "--task",
                String.join(",", TASKS),
                "--ckpt",
                "demo",
                "--data-dir",
                data.toString(),
                "--num-fewshot",
                shots,
                "-o",
                o.toString()))
        .as(err.toString())
        .isZero();
    return o;
  }

  private static List<JsonNode> samples(Path o, String task) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(o.resolve("samples_" + task + ".jsonl"))) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  @Test
  void requestsAreLmEvalsZeroShot() throws Exception {
    checkRequests(runTasks("0"), "zero_shot");
  }

  @Test
  void requestsAreLmEvalsTwoShotFromTheTrainSplit() throws Exception {
    checkRequests(runTasks("2"), "two_shot");
  }

  private void checkRequests(Path o, String key) throws Exception {
    JsonNode results = JSON.readTree(o.resolve("results.json").toFile());
    for (String t : TASKS) {
      JsonNode expected = oracle.at("/" + t + "/" + key);
      List<JsonNode> s = samples(o, t);
      assertThat(s).as(t).hasSize(expected.size());
      double acc = 0;
      double accNorm = 0;
      for (int i = 0; i < s.size(); i++) {
        JsonNode e = expected.get(i);
        JsonNode args = s.get(i).get("arguments");
        assertThat(args.size()).isEqualTo(e.get("continuations").size());
        double[] lls = new double[args.size()];
        double[] norm = new double[args.size()];
        for (int j = 0; j < args.size(); j++) {
          JsonNode a = args.get("gen_args_" + j);
          assertThat(a.get("arg_0").asText())
              .as("%s doc %d", t, i)
              .isEqualTo(e.get("context").asText());
          String cont = e.get("continuations").get(j).asText();
          assertThat(a.get("arg_1").asText()).isEqualTo(cont);
          lls[j] = Double.parseDouble(s.get(i).at("/resps/" + j + "/0/0").asText());
          String choice = cont.substring(1); // target_delimiter " "
          norm[j] = lls[j] / choice.codePointCount(0, choice.length());
        }
        int gold = e.get("target").asInt();
        assertThat(s.get(i).get("target").asInt()).isEqualTo(gold);
        assertThat(s.get(i).get("doc")).isEqualTo(oracle.at("/" + t + "/test/" + i));
        acc += firstMax(lls) == gold ? 1 : 0;
        accNorm += firstMax(norm) == gold ? 1 : 0;
        assertThat(s.get(i).get("acc").asDouble()).isEqualTo(firstMax(lls) == gold ? 1.0 : 0.0);
      }
      JsonNode r = results.at("/results/" + t);
      assertThat(r.get("acc,none").asDouble()).as(t).isCloseTo(acc / s.size(), within(1e-12));
      assertThat(r.get("acc_norm,none").asDouble())
          .as(t)
          .isCloseTo(accNorm / s.size(), within(1e-12));
      assertThat(results.at("/n-shot/" + t).asInt()).isEqualTo(key.equals("two_shot") ? 2 : 0);
    }
    // the fake model prefers short continuations, acc_norm long ones: the two differ somewhere
    JsonNode r = results.get("results");
    assertThat(
            TASKS.stream()
                .anyMatch(
                    t ->
                        r.at("/" + t + "/acc,none").asDouble()
                            != r.at("/" + t + "/acc_norm,none").asDouble()))
        .isTrue();
    JsonNode cfg = results.at("/configs/sciq");
    assertThat(cfg.get("dataset_path").asText()).isEqualTo("allenai/sciq");
    assertThat(cfg.get("doc_to_target").asInt()).isEqualTo(3);
    assertThat(cfg.get("doc_to_choice").asText())
        .isEqualTo("{{[distractor1, distractor2, distractor3, correct_answer]}}");
  }

  private static int firstMax(double[] xs) {
    int best = 0;
    for (int i = 1; i < xs.length; i++) {
      if (xs[i] > xs[best]) {
        best = i;
      }
    }
    return best;
  }

  @Test
  void decontaminationSeesTheQueriesOfEveryMultipleChoiceTask() {
    List<BenchmarkItem> items =
        BenchmarkItems.load(TaskRegistry.bundled(), String.join(",", TASKS), DataRoot.of(data));
    int k = 0;
    for (String t : TASKS) {
      JsonNode expected = oracle.at("/" + t + "/zero_shot");
      for (int i = 0; i < expected.size(); i++, k++) {
        BenchmarkItem item = items.get(k);
        JsonNode e = expected.get(i);
        assertThat(item.task()).isEqualTo(t);
        assertThat(item.docId()).isEqualTo(i);
        assertThat(item.question()).isEqualTo(e.get("decontamination_query").asText());
        List<String> choices = new ArrayList<>();
        e.get("continuations").forEach(c -> choices.add(c.asText().substring(1)));
        assertThat(item.choices()).isEqualTo(choices);
        assertThat(item.gold()).isEqualTo(e.get("target").asInt());
      }
    }
    assertThat(items).hasSize(k);
  }
}
