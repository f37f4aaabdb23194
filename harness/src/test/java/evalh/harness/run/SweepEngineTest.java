package evalh.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.engine.scoring.DemoCopies;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A sweep on the real engine: three copies of the demo model with perturbed weights under different
 * step names, the middle one corrupt; each scored checkpoint's results equal a separate {@code
 * evalh run} of it.
 */
class SweepEngineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = new CommandLine(new RunCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static JsonNode results(Path dir) throws Exception {
    return JSON.readTree(dir.resolve("results.json").toFile());
  }

  @Test
  void sweepOfPerturbedDemoCopiesWithACorruptMiddleOne() throws Exception {
    Path run = tmp.resolve("ckpts/demo-mix");
    DemoCopies.perturbed(run.resolve("step-1"), 1);
    Path bad = DemoCopies.perturbed(run.resolve("checkpoint-20"), 2);
    DemoCopies.perturbed(run.resolve("global_step_300"), 3);
    Path shard = bad.resolve("model-00002-of-00002.safetensors");
    byte[] b = Files.readAllBytes(shard);
    Files.write(shard, java.util.Arrays.copyOf(b, b.length / 2)); // truncated upload
    List<String> common =
        List.of(
            "--task",
            "mmlu-anatomy,wikitext-2",
            "--sample-data",
            "--limit",
            "2",
            "--device",
            "cpu",
            "--batch-tokens",
            "4096");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path o = tmp.resolve("sweep");
    String[] sweep =
        Stream.concat(common.stream(), Stream.of("--ckpt", run.toString(), "-o", o.toString()))
            .toArray(String[]::new);
    assertThat(run(out, err, sweep)).as(err.toString()).isEqualTo(1);
    assertThat(err.toString()).contains("demo-mix@20").contains("model-00002-of-00002");
    assertThat(o.resolve("demo-mix/20")).doesNotExist();
    JsonNode first = results(o.resolve("demo-mix/1"));
    JsonNode last = results(o.resolve("demo-mix/300"));
    assertThat(last.get("step").asLong()).isEqualTo(300);
    assertThat(last.at("/results/wikitext-2/bits_per_byte,none").asDouble())
        .isNotEqualTo(first.at("/results/wikitext-2/bits_per_byte,none").asDouble());

    Path single = tmp.resolve("single");
    String[] one =
        Stream.concat(
                common.stream(),
                Stream.of(
                    "--ckpt", run.resolve("global_step_300").toString(), "-o", single.toString()))
            .toArray(String[]::new);
    assertThat(run(new StringWriter(), new StringWriter(), one)).isZero();
    assertThat(last.get("results")).isEqualTo(results(single).get("results"));
    assertThat(last.at("/evalh/checkpoint_fingerprint"))
        .isEqualTo(results(single).at("/evalh/checkpoint_fingerprint"));

    // run again: both finished checkpoints are skipped by the engine's fingerprint
    StringWriter err2 = new StringWriter();
    assertThat(run(new StringWriter(), err2, sweep)).isEqualTo(1);
    assertThat(err2.toString()).contains("demo-mix@1").contains("done already");
    assertThat(err2.toString().split("done already", -1)).hasSize(3);
  }
}
