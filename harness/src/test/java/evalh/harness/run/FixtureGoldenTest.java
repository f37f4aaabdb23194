package evalh.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.engine.Fixtures;
import evalh.engine.scoring.EngineOptions;
import evalh.engine.scoring.LoglikelihoodEngine;
import evalh.tasks.data.DataRoot;
import evalh.tasks.prompt.DescriptionStyle;
import evalh.tasks.prompt.PyStr;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The whole `evalh run` pipeline (YAML task, dataset reader, prompt, engine, metrics, samples,
 * results.json) on the fixture checkpoints against the float64 PyTorch reference values.
 */
class FixtureGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /** A fixture from harness' test-jar, as a real path (extracted once when read from the jar). */
  static Path resource(String p) {
    return Fixtures.path(p);
  }

  static JsonNode expected(String name) {
    return Fixtures.expected(name);
  }

  private EvaluationRun.Outcome run(
      String task, Path data, Path include, String ckpt, EngineOptions eo) {
    EvaluationRun.Options o =
        new EvaluationRun.Options(
            task,
            ckpt,
            null,
            -1,
            eo,
            tmp.resolve("out"),
            OutputStore.local(),
            true,
            DataRoot.of(data),
            include == null ? List.of() : List.of(include),
            DescriptionStyle.DEFAULT,
            null,
            null,
            256,
            16,
            false,
            Map.of());
    return EvaluationRun.run(
        o,
        LoglikelihoodEngine::open,
        new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
  }

  @ParameterizedTest
  @FieldSource("evalh.engine.Fixtures#MODELS")
  void multipleChoiceLoglikelihoodsAndAccEqualTheReference(String model) throws Exception {
    JsonNode items = expected("loglikelihood-" + model + ".json").get("items");
    double[] ref = new double[4];
    boolean[] refGreedy = new boolean[4];
    String context = null;
    for (JsonNode it : items) {
      String name = it.get("name").asText();
      if (name.matches("mc_[A-D]")) {
        int j = name.charAt(3) - 'A';
        ref[j] = it.get("sum_logprob").asDouble();
        refGreedy[j] = it.get("is_greedy").asBoolean();
        context = it.get("context").asText();
      }
    }
    // An MMLU-format task with an empty description whose only item renders to the fixture's
    // context: "Question: Which planet ...?\nA. Venus\nB. Mars\nC. Jupiter\nD. Saturn\nAnswer:".
    Path inc = Files.createDirectories(tmp.resolve("yaml"));
    Files.writeString(
        inc.resolve("fixture.yaml"),
        """
        suite: fixture
        members:
          astronomy: {}
        variants:
          - suffix: ""
            task:
              name: "fx-{member}"
              output_type: multiple_choice
              dataset: {kind: mmlu, subject: "{member}"}
              test_split: test
              doc_to_text: "{{question.strip()}}\\nA. {{choices[0]}}\\nB. {{choices[1]}}\\nC. {{choices[2]}}\\nD. {{choices[3]}}\\nAnswer:"
              doc_to_choice: [A, B, C, D]
              doc_to_target: answer
              description: ""
              metric_list: [{metric: acc}, {metric: acc_norm}]
        """);
    Path data = Files.createDirectories(tmp.resolve("data/cais/mmlu/astronomy"));
    Files.writeString(
        data.resolve("test.jsonl"),
        "{\"question\":\"Question: Which planet is known as the Red Planet?\","
            + "\"choices\":[\"Venus\",\"Mars\",\"Jupiter\",\"Saturn\"],\"answer\":1}\n");
    EvaluationRun.Outcome out =
        run(
            "fx-astronomy",
            tmp.resolve("data"),
            inc,
            resource("models/" + model).toString(),
            EngineOptions.defaults().withDevice("cpu").withDtype("float32"));

    List<String> lines = Files.readAllLines(tmp.resolve("out/samples_fx-astronomy.jsonl"));
    assertThat(lines).hasSize(1);
    JsonNode s = JSON.readTree(lines.get(0));
    assertThat(s.at("/arguments/gen_args_0/arg_0").asText()).isEqualTo(context);
    int best = 0;
    for (int j = 0; j < 4; j++) {
      assertThat(s.at("/arguments/gen_args_" + j + "/arg_1").asText())
          .isEqualTo(" " + (char) ('A' + j));
      double ll = Double.parseDouble(s.get("filtered_resps").get(j).get(0).asText());
      assertThat(ll).as("choice %d", j).isCloseTo(ref[j], within(1e-3));
      assertThat(s.get("filtered_resps").get(j).get(1).asText())
          .isEqualTo(refGreedy[j] ? "True" : "False");
      if (ref[j] > ref[best]) {
        best = j;
      }
    }
    double acc = best == 1 ? 1.0 : 0.0;
    assertThat(s.get("acc").asDouble()).isEqualTo(acc);
    assertThat(out.json().at("/results/fx-astronomy/acc,none").asDouble()).isEqualTo(acc);
    assertThat(out.json().at("/results/fx-astronomy/acc_stderr,none").asText()).isEqualTo("N/A");
    assertThat(s.get("target").asInt()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
    "tiny-llama,bos",
    "tiny-llama,eos",
    "tiny-qwen2,bos",
    "tiny-qwen3,bos",
    "tiny-olmo2,eos",
    "tiny-gpt-neox,bos",
    "tiny-gpt-neox,eos"
  })
  void bitsPerByteOnDocumentsEqualsTheReference(String model, String prefix) throws Exception {
    JsonNode block = null;
    for (JsonNode b : expected("rolling-" + model + ".json").get("blocks")) {
      if (b.get("prefix").asText().equals(prefix)) {
        block = b;
      }
    }
    // Paloma layout: allenai/paloma/<source>/val/*.jsonl.gz with field text
    Path dir = Files.createDirectories(tmp.resolve("data/allenai/paloma/ptb/val"));
    List<JsonNode> docs = new ArrayList<>();
    StringBuilder jsonl = new StringBuilder();
    for (JsonNode d : block.get("documents")) {
      docs.add(d);
      jsonl.append(JSON.writeValueAsString(Map.of("text", d.get("text").asText()))).append('\n');
    }
    try (var o =
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve("val_0.jsonl.gz")))) {
      o.write(jsonl.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    EngineOptions eo =
        EngineOptions.defaults()
            .withDevice("cpu")
            .withDtype("float32")
            .withMaxLength(64)
            .withRollingPrefix(
                prefix.equals("eos")
                    ? EngineOptions.RollingPrefix.EOS
                    : EngineOptions.RollingPrefix.BOS);
    EvaluationRun.Outcome out =
        run("paloma-ptb", tmp.resolve("data"), null, resource("models/" + model).toString(), eo);

    List<String> lines = Files.readAllLines(tmp.resolve("out/samples_paloma-ptb.jsonl"));
    assertThat(lines).hasSize(docs.size());
    double sumLl = 0;
    double sumBytes = 0;
    double sumWords = 0;
    for (int i = 0; i < docs.size(); i++) {
      JsonNode s = JSON.readTree(lines.get(i));
      JsonNode d = docs.get(i);
      double refLl = d.get("loglikelihood").asDouble();
      assertThat(s.get("bits_per_byte").get(0).asDouble()).isCloseTo(refLl, within(1e-3));
      assertThat(s.get("bits_per_byte").get(1).asInt()).isEqualTo(d.get("n_bytes").asInt());
      assertThat(s.get("word_perplexity").get(1).asInt()).isEqualTo(d.get("n_words").asInt());
      assertThat(s.get("token_perplexity").get(1).asInt()).isEqualTo(d.get("n_tokens").asInt());
      sumLl += refLl;
      sumBytes += d.get("n_bytes").asDouble();
      sumWords += PyStr.pythonSplitWordCount(d.get("text").asText());
    }
    JsonNode r = out.json().at("/results/paloma-ptb");
    double bpb = r.get("bits_per_byte,none").asDouble();
    // corpus-level: -(sum ll / sum bytes) / ln 2, the reference's aggregate
    assertThat(bpb).isCloseTo(block.at("/aggregate/bits_per_byte").asDouble(), within(1e-5 * bpb));
    assertThat(bpb).isCloseTo(-(sumLl / sumBytes) / Math.log(2), within(1e-5 * bpb));
    assertThat(r.get("byte_perplexity,none").asDouble())
        .isCloseTo(Math.exp(-sumLl / sumBytes), within(1e-4));
    double wp = Math.exp(-sumLl / sumWords);
    assertThat(r.get("word_perplexity,none").asDouble()).isCloseTo(wp, within(1e-3 * wp));
    assertThat(r.get("bits_per_byte_stderr,none").asText()).isEqualTo("N/A");
  }
}
