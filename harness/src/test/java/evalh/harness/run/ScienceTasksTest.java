package evalh.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.tasks.ScienceFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code evalh run --task arc_easy,arc_challenge,sciq,openbookqa} on hand-made items in the HF
 * repositories' parquet layouts ({@link ScienceFixtures}): the samples' requests are lm-eval
 * 0.4.13's (zero-shot, and 2-shot from the train split by its seeded sampler), and results.json's
 * acc and acc_norm equal a recomputation from the samples' log-likelihoods.
 */
class ScienceTasksTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TASKS = ScienceFixtures.TASKS;

  @TempDir static Path data;
  @TempDir Path tmp;
  private static JsonNode oracle;
  private final StringWriter err = new StringWriter();
  private final FakeEvaluator fake = new FakeEvaluator();

  @BeforeAll
  static void writeHfLayout() throws Exception {
    ScienceFixtures.writeHfLayout(data);
    oracle = ScienceFixtures.oracle();
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
      List<JsonNode> s = YamlBenchmarkTest.samples(o, t);
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
}
