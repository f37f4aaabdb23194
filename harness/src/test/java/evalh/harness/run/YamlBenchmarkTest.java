package evalh.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A new benchmark is one YAML file in an {@code --include-path} folder, no Java: here two, one on
 * JSONL and one on CSV with a header row, in HF repository layouts under {@code --data-dir}. The
 * expected prompts are written out by hand from lm-eval's rules.
 */
class YamlBenchmarkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  private Path inc;
  private Path data;
  private final StringWriter err = new StringWriter();
  private final FakeEvaluator fake = new FakeEvaluator();

  private static final String YAML =
      """
      # Two tiny benchmarks, lm-eval style.
      tasks:
        - name: tiny_piqa
          output_type: multiple_choice
          dataset_path: acme/tiny_piqa
          dataset_name: null
          training_split: train
          test_split: validation
          num_fewshot: 1
          fewshot_config: {sampler: first_n}
          description: "Pick the solution.\\n\\n"
          doc_to_text: "Goal: {{goal.strip()}}\\nAnswer:"
          doc_to_choice: "{{[sol1, sol2]}}"
          doc_to_target: label
          metric_list: [{metric: acc}, {metric: acc_norm}, {metric: acc_bytes}]
        - name: tiny_csv
          output_type: multiple_choice
          dataset_path: acme/tiny_csv
          test_split: test
          description: "Quiz {{points}}.\\n"
          doc_to_text: "{{question}} ({{points}} points)"
          doc_to_choice: ["yes", "no", "maybe"]
          doc_to_target: "{{['Y', 'N', 'M'].index(answer)}}"
          target_delimiter: "\\nAnswer: "
          metric_list: [{metric: acc}]
      """;

  @BeforeEach
  void setUp() throws Exception {
    inc = Files.createDirectories(tmp.resolve("yaml"));
    Files.writeString(inc.resolve("tiny.yaml"), YAML);
    data = tmp.resolve("data");
    Path piqa = Files.createDirectories(data.resolve("acme/tiny_piqa"));
    Files.writeString(
        piqa.resolve("validation.jsonl"),
        """
        {"goal": " Boil water", "sol1": "use a pot", "sol2": "use a sieve", "label": 0}
        {"goal": "Dry hair", "sol1": "towel", "sol2": "wet sponge", "label": 0}
        {"goal": "Open a can", "sol1": "a spoon", "sol2": "a can opener", "label": 1}
        """);
    Files.writeString(
        piqa.resolve("train.jsonl"),
        """
        {"goal": "Cut paper", "sol1": "a rock", "sol2": "scissors", "label": 1}
        {"goal": "unused", "sol1": "x", "sol2": "y", "label": 0}
        """);
    Path csv = Files.createDirectories(data.resolve("acme/tiny_csv/data"));
    Files.writeString(
        csv.resolve("test.csv"),
        "question,points,answer\n\"Is water wet, really?\",3,Y\nIs 2 > 3?,10,N\n");
  }

  private int run(String... args) {
    CommandLine cl = new CommandLine(new RunCommand((c, o) -> fake));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** The lines of {@code samples_<task>.jsonl}. */
  static List<JsonNode> samples(Path o, String task) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(o.resolve("samples_" + task + ".jsonl"))) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  @Test
  void oneYamlFileAddsABenchmark() throws Exception {
    Path o = tmp.resolve("out");
    assertThat(
            run(
                "--task", "tiny_piqa,tiny_csv",
                "--ckpt", "demo",
                "--include-path", inc.toString(),
                "--data-dir", data.toString(),
                "-o", o.toString()))
        .as(err.toString())
        .isZero();
    List<JsonNode> piqa = samples(o, "tiny_piqa");
    assertThat(piqa).hasSize(3);
    assertThat(piqa.get(0).at("/arguments/gen_args_0/arg_0").asText())
        .isEqualTo(
            "Pick the solution.\n\nGoal: Cut paper\nAnswer: scissors\n\nGoal: Boil water\nAnswer:");
    assertThat(piqa.get(0).at("/arguments/gen_args_1/arg_1").asText()).isEqualTo(" use a sieve");
    assertThat(piqa.get(2).at("/arguments/gen_args_0/arg_0").asText())
        .endsWith("\n\nGoal: Open a can\nAnswer:");
    // the fake scores " x" as -2 - len(" x"): acc picks the shorter choice, acc_norm the longer
    // (-3 - n) / n; doc 0: "use a pot" (gold) < "use a sieve"; doc 1: "towel" (gold) < "wet
    // sponge"; doc 2: "a spoon" < "a can opener" (gold)
    JsonNode r = JSON.readTree(o.resolve("results.json").toFile()).at("/results/tiny_piqa");
    assertThat(r.get("acc,none").asDouble()).isEqualTo(2.0 / 3);
    assertThat(r.get("acc_norm,none").asDouble()).isEqualTo(1.0 / 3);
    assertThat(r.get("acc_bytes,none").asDouble()).isEqualTo(1.0 / 3);

    List<JsonNode> csv = samples(o, "tiny_csv");
    assertThat(csv).hasSize(2);
    assertThat(csv.get(0).at("/arguments/gen_args_0/arg_0").asText())
        .isEqualTo("Quiz 3.\nIs water wet, really? (3 points)");
    assertThat(csv.get(0).at("/arguments/gen_args_2/arg_1").asText()).isEqualTo("\nAnswer: maybe");
    assertThat(csv.get(1).get("target").asInt()).isEqualTo(1);
    assertThat(csv.get(1).at("/doc/points").isIntegralNumber()).isTrue();
  }

  @Test
  void aMissingSplitNamesTheDownloadCommand() {
    Path o = tmp.resolve("out");
    assertThat(
            run(
                "--task",
                "arc_easy",
                "--ckpt",
                "demo",
                "--data-dir",
                data.toString(),
                "-o",
                o.toString()))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains("allenai/ai2_arc 'ARC-Easy' split 'test' not found")
        .contains(
            "huggingface-cli download allenai/ai2_arc --repo-type dataset --include 'ARC-Easy/*'"
                + " --local-dir "
                + data
                + "/allenai/ai2_arc");
    assertThat(fake.calls).isZero();
  }

  @Test
  void aTemplateOutsideTheSubsetNamesTheFileAndField() throws Exception {
    Files.writeString(
        inc.resolve("tiny.yaml"),
        YAML.replace("\"{{[sol1, sol2]}}\"", "\"Options: {{[sol1, sol2]}}\""));
    assertThat(
            run(
                "--task", "tiny_piqa",
                "--ckpt", "demo",
                "--include-path", inc.toString(),
                "--data-dir", data.toString(),
                "-o", tmp.resolve("o").toString()))
        .isNotZero();
    assertThat(err.toString())
        .contains("tiny.yaml: tasks[0] (task tiny_piqa): doc_to_choice:")
        .contains("must be one {{ expression }} giving a list");
  }

  @Test
  void aDocumentTheTemplateCannotRenderNamesTheRowAndField() throws Exception {
    Files.writeString(
        data.resolve("acme/tiny_csv/data/test.csv"), "question,points,answer\nQ,1,X\n");
    assertThat(
            run(
                "--task", "tiny_csv",
                "--ckpt", "demo",
                "--include-path", inc.toString(),
                "--data-dir", data.toString(),
                "-o", tmp.resolve("o").toString()))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains("test.csv:record 1")
        .contains("task tiny_csv")
        .contains("doc_to_target: 'X' is not in list ['Y', 'N', 'M']");
  }
}
