package evalh.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.engine.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code evalh run --task mmlu-science,wikitext-2 --sample-data} end to end on the checkpoints of
 * the later families (the shared fixtures, from harness' test-jar), with the real engine: every
 * request is scored, accuracy is lm-eval's argmax over the logged log-likelihoods, and the
 * bits-per-byte is the corpus ratio of the logged document log-likelihoods. The numbers themselves
 * are checked against the float64 reference in {@link FixtureGoldenTest}.
 */
class ArchitecturesRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"tiny-qwen3", "tiny-olmo2", "tiny-gpt-neox"})
  void mmluScienceAndWikitextRunEndToEnd(String model) throws Exception {
    Path o = tmp.resolve("out");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new RunCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int rc =
        cl.execute(
            "--task",
            "mmlu-science,wikitext-2",
            "--ckpt",
            Fixtures.model(model).toString(),
            "--sample-data",
            "--device",
            "cpu",
            "--dtype",
            "float32",
            "-o",
            o.toString());
    assertThat(rc).as(err.toString()).isZero();
    JsonNode r = JSON.readTree(o.resolve("results.json").toFile());
    assertThat(r.at("/group_subtasks/mmlu-science")).hasSize(16);
    assertThat(r.at("/evalh/requests").asInt()).isEqualTo(16 * 3 * 4 + 2);
    String architecture =
        JSON.readTree(Fixtures.model(model).resolve("config.json").toFile())
            .at("/architectures/0")
            .asText();
    assertThat(r.toString()).contains(architecture);

    int items = 0;
    for (JsonNode subtask : r.at("/group_subtasks/mmlu-science")) {
      String task = subtask.asText();
      List<String> lines = Files.readAllLines(o.resolve("samples_" + task + ".jsonl"));
      assertThat(lines).hasSize(3);
      int hits = 0;
      for (String line : lines) {
        JsonNode s = JSON.readTree(line);
        int best = 0;
        double[] ll = new double[4];
        for (int j = 0; j < 4; j++) {
          ll[j] = Double.parseDouble(s.at("/filtered_resps/" + j + "/0").asText());
          assertThat(ll[j]).as("%s choice %d", task, j).isFinite().isNegative();
          if (ll[j] > ll[best]) {
            best = j;
          }
        }
        int acc = best == s.get("target").asInt() ? 1 : 0;
        assertThat(s.get("acc").asDouble()).isEqualTo(acc);
        hits += acc;
        items++;
      }
      assertThat(r.at("/results/" + task + "/acc,none").asDouble())
          .isCloseTo(hits / 3.0, within(1e-12));
    }
    assertThat(items).isEqualTo(48);

    List<String> docs = Files.readAllLines(o.resolve("samples_wikitext-2.jsonl"));
    assertThat(docs).hasSize(2);
    double ll = 0;
    double bytes = 0;
    for (String line : docs) {
      JsonNode s = JSON.readTree(line);
      ll += s.at("/bits_per_byte/0").asDouble();
      bytes += s.at("/bits_per_byte/1").asDouble();
      assertThat(s.at("/bits_per_byte/0").asDouble()).isFinite().isNegative();
    }
    double bpb = r.at("/results/wikitext-2/bits_per_byte,none").asDouble();
    assertThat(bpb).isCloseTo(-(ll / bytes) / Math.log(2), within(1e-9 * bpb));
    // Near-uniform tiny models: about ln(500) nats per token of a 500-token byte-level BPE.
    assertThat(bpb).isBetween(1.0, 12.0);
    assertThat(o.resolve("results.json")).content(StandardCharsets.UTF_8).isNotEmpty();
  }
}
