package evalh.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a run leaves in its output directory, and the usage errors it refuses before any work. */
class RunOutputsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  private final StringWriter err = new StringWriter();

  private int run(FakeEvaluator fake, String... args) {
    CommandLine cl = new CommandLine(new RunCommand((c, o) -> fake));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aRunOfAnotherCheckpointLeavesNoStaleSamplesBesideItsResults() throws Exception {
    Path o = tmp.resolve("o");
    FakeEvaluator first = new FakeEvaluator();
    assertThat(run(first, "--task", "mmlu-anatomy,mmlu-virology", "--ckpt", "demo", "-o", "" + o))
        .isZero();
    FakeEvaluator second = new FakeEvaluator();
    second.fingerprint = "fake-2";
    assertThat(run(second, "--task", "mmlu-anatomy", "--ckpt", "demo", "-o", "" + o)).isZero();

    assertThat(names(o)).contains("results.json", "samples_mmlu-anatomy.jsonl");
    assertThat(names(o)).doesNotContain("samples_mmlu-virology.jsonl");
    // B13: the first checkpoint's results and samples are kept aside, not overwritten
    Path superseded = o.resolve(StaleOutputs.DIR);
    assertThat(names(superseded)).hasSize(1);
    Path moved = superseded.resolve(names(superseded).get(0));
    assertThat(names(moved))
        .containsExactly(
            "results.json", "samples_mmlu-anatomy.jsonl", "samples_mmlu-virology.jsonl");
    assertThat(
            JSON.readTree(moved.resolve("results.json").toFile())
                .at("/evalh/checkpoint_fingerprint")
                .asText())
        .isEqualTo("fake-1");

    JsonNode r = JSON.readTree(o.resolve("results.json").toFile());
    assertThat(r.at("/evalh/checkpoint_fingerprint").asText()).isEqualTo("fake-2");
    String hash = r.at("/evalh/task_hashes/mmlu-anatomy").asText();
    assertThat(hash).hasSize(64);
    for (String line : Files.readAllLines(o.resolve("samples_mmlu-anatomy.jsonl"))) {
      JsonNode s = JSON.readTree(line);
      assertThat(s.get("checkpoint_fingerprint").asText()).isEqualTo("fake-2");
      assertThat(s.get("task_hash").asText()).isEqualTo(hash);
    }
    JsonNode old =
        JSON.readTree(Files.readAllLines(moved.resolve("samples_mmlu-virology.jsonl")).get(0));
    assertThat(old.get("checkpoint_fingerprint").asText()).isEqualTo("fake-1");
  }

  /** B13: another tool's results.json and samples in --output were overwritten. */
  @Test
  void anotherToolsResultsAreMovedAsideNotOverwritten() throws Exception {
    Path o = Files.createDirectories(tmp.resolve("lm-eval-out"));
    Files.writeString(o.resolve("results.json"), "{\"results\": {\"mmlu-anatomy\": {}}}");
    Files.writeString(o.resolve("samples_mmlu-anatomy.jsonl"), "{\"doc_id\": 0}\n");
    assertThat(run(new FakeEvaluator(), "--task", "mmlu-anatomy", "--ckpt", "demo", "-o", "" + o))
        .isZero();
    Path superseded = o.resolve(StaleOutputs.DIR);
    Path moved = superseded.resolve(names(superseded).get(0));
    assertThat(names(moved)).containsExactly("results.json", "samples_mmlu-anatomy.jsonl");
    assertThat(Files.readString(moved.resolve("samples_mmlu-anatomy.jsonl")))
        .isEqualTo("{\"doc_id\": 0}\n");
    // the same run again: its own files are current, nothing more is moved
    assertThat(run(new FakeEvaluator(), "--task", "mmlu-anatomy", "--ckpt", "demo", "-o", "" + o))
        .isZero();
    assertThat(names(superseded)).hasSize(1);
  }

  @Test
  void taskHashFollowsTheTaskConfig() throws Exception {
    FakeEvaluator fake = new FakeEvaluator();
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    assertThat(run(fake, "--task", "mmlu-anatomy", "--ckpt", "demo", "-o", "" + a)).isZero();
    assertThat(
            run(
                fake,
                "--task",
                "mmlu-anatomy",
                "--ckpt",
                "demo",
                "--num-fewshot",
                "1",
                "-o",
                "" + b))
        .isZero();
    String ha =
        JSON.readTree(a.resolve("results.json").toFile())
            .at("/evalh/task_hashes/mmlu-anatomy")
            .asText();
    String hb =
        JSON.readTree(b.resolve("results.json").toFile())
            .at("/evalh/task_hashes/mmlu-anatomy")
            .asText();
    assertThat(ha).isNotEqualTo(hb);
  }

  @Test
  void failedRunLeavesNoDirectoryItCreated() throws Exception {
    Path o = tmp.resolve("new/deeper/out");
    FakeEvaluator fake = new FakeEvaluator();
    int rc =
        run(fake, "--task", "mmlu-anatomy", "--ckpt", "demo", "--data-dir", "" + tmp, "-o", "" + o);
    assertThat(rc).isEqualTo(1);
    assertThat(tmp.resolve("new")).doesNotExist();
  }

  @Test
  void maxLengthBelowOneAndAnOutputThatIsAFileAreUsageErrors() throws Exception {
    FakeEvaluator fake = new FakeEvaluator();
    assertThat(run(fake, "--task", "mmlu-anatomy", "--ckpt", "demo", "--max-length", "0"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--max-length must be >= 1, got 0");
    assertThat(run(fake, "--task", "mmlu-anatomy", "--ckpt", "demo", "--max-length", "-5"))
        .isEqualTo(2);
    Path file = Files.writeString(tmp.resolve("results.txt"), "mine");
    assertThat(run(fake, "--task", "mmlu-anatomy", "--ckpt", "demo", "-o", file.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--output " + file + " is an existing file");
    assertThat(Files.readString(file)).isEqualTo("mine");
    assertThat(fake.calls).isZero();
  }
}
