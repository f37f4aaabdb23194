package evalh.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.engine.Fixtures;
import evalh.engine.checkpoint.CheckpointException;
import evalh.engine.checkpoint.SafetensorsFile;
import evalh.engine.checkpoint.SafetensorsWriter;
import evalh.harness.cli.ScoreCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is named precisely, before any tensor is touched. */
class InputChecksTest {
  @TempDir Path tmp;

  private static String[] run(Object command, String... args) {
    return TestCli.run(command, args);
  }

  @Test
  void tokenIdBeyondTheModelVocabularyNamesBothSizes() throws Exception {
    Path dir = tmp.resolve("tiny-llama");
    Files.createDirectories(dir);
    try (Stream<Path> s = Files.list(Fixtures.model("tiny-llama"))) {
      for (Path f : s.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    // a tokenizer with an added token the model was never resized for
    ObjectNode tok = (ObjectNode) Fixtures.JSON.readTree(dir.resolve("tokenizer.json").toFile());
    int vocab =
        Fixtures.JSON.readTree(dir.resolve("config.json").toFile()).get("vocab_size").asInt();
    tok.withArray("added_tokens")
        .addObject()
        .put("id", vocab + 7)
        .put("content", "<extra_tool>")
        .put("single_word", false)
        .put("lstrip", false)
        .put("rstrip", false)
        .put("normalized", false)
        .put("special", true);
    Fixtures.JSON.writeValue(dir.resolve("tokenizer.json").toFile(), tok);
    String[] r =
        run(
            new ScoreCommand(),
            "--ckpt",
            dir.toString(),
            "--text",
            "Hello <extra_tool> world",
            "--device",
            "cpu");
    assertThat(r[0]).as(r[1] + r[2]).isEqualTo("1");
    assertThat(r[2])
        .containsPattern("token id 50[0-7] \\(request 0, continuation position [0-9]+\\)")
        .contains("outside the model's vocabulary of " + vocab + " (config.json vocab_size)")
        .contains("has " + (vocab + 8) + " ids")
        .doesNotContain("index out of range");
  }

  @Test
  void shapeWhoseByteSizeOverflowsNamesTheTensor() throws Exception {
    Path file = tmp.resolve("huge.safetensors");
    Map<String, SafetensorsWriter.Entry> m = new LinkedHashMap<>();
    m.put("ok", new SafetensorsWriter.Entry("F32", new long[] {2}, new byte[8]));
    m.put(
        "model.embed_tokens.weight",
        new SafetensorsWriter.Entry("BF16", new long[] {1L << 32, 1L << 31}, new byte[0]));
    SafetensorsWriter.write(file, m);
    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tensor 'model.embed_tokens.weight'")
        .hasMessageContaining("shape [4294967296,2147483648] of BF16")
        .hasMessageContaining("overflows")
        .hasMessageNotContaining("long overflow");
  }

  @Test
  void maxLengthBelowOneIsAUsageError() {
    String[] r = run(new ScoreCommand(), "--ckpt", "demo", "--text", "x", "--max-length", "0");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("--max-length must be >= 1, got 0");
  }

  /** B17: score --device tpu exited 1, not the documented usage-error code 2. */
  @Test
  void unknownDeviceIsAUsageError() {
    String[] r = run(new ScoreCommand(), "--ckpt", "demo", "--text", "x", "--device", "tpu");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("--device must be auto, cpu, cuda or cuda:N, got 'tpu'");
  }
}
