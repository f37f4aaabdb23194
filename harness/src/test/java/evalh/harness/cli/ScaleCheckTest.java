package evalh.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.harness.TestCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 8B scale check's commands on a small shape: bench writes a random BF16 checkpoint with a
 * tokenizer, evalh score runs it in bfloat16 (weights used in place), and bench reports it.
 */
class ScaleCheckTest {
  @TempDir Path tmp;

  private static String[] run(Object command, String... args) {
    return TestCli.run(command, args);
  }

  @Test
  void writeThenScoreInBfloat16() throws Exception {
    Path ckpt = tmp.resolve("random");
    String[] w =
        run(
            new BenchCommand(),
            "--write-checkpoint",
            ckpt.toString(),
            "--hidden",
            "64",
            "--layers",
            "2",
            "--heads",
            "4",
            "--kv-heads",
            "2",
            "--intermediate",
            "128",
            "--vocab",
            "512");
    assertThat(w[0]).as(w[2]).isEqualTo("0");
    assertThat(ckpt.resolve("tokenizer.json")).exists();
    assertThat(Files.size(ckpt.resolve("model.safetensors"))).isGreaterThan(2L * 512 * 64);
    String[] s =
        run(
            new ScoreCommand(),
            "--ckpt",
            ckpt.toString(),
            "--text",
            "The capital of France is Paris.",
            "--device",
            "cpu",
            "--dtype",
            "bfloat16",
            "--json");
    assertThat(s[0]).as(s[2]).isEqualTo("0");
    JsonNode o = new ObjectMapper().readTree(s[1]);
    assertThat(o.path("logprobs").size()).isGreaterThan(5);
    for (int i = 1; i < o.path("logprobs").size(); i++) {
      double lp = o.path("logprobs").get(i).asDouble();
      assertThat(lp).isFinite().isNegative();
    }
    String[] b =
        run(
            new BenchCommand(),
            "--ckpt",
            ckpt.toString(),
            "--dtype",
            "bfloat16",
            "--workload",
            "rolling",
            "--rows",
            "2",
            "--seq-len",
            "64",
            "--device",
            "cpu");
    assertThat(b[0]).as(b[2]).isEqualTo("0");
    assertThat(b[1]).contains("torch/bfloat16").contains("MFU").contains("matmul peak (bfloat16");
  }
}
