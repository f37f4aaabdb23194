package evalh.harness;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.engine.Fixtures;
import evalh.engine.checkpoint.SafetensorsWriter;
import evalh.harness.cli.CheckFixturesCommand;
import evalh.harness.cli.ScoreCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint whose weights hold NaN: `score` prints the values but fails, `check-fixtures` fails.
 */
class NonFiniteScoresTest {
  @TempDir Path tmp;

  private static String[] run(Object command, String... args) {
    return TestCli.run(command, args);
  }

  /** A copy of the fixtures whose tiny-llama final norm weights are all BF16 NaN. */
  static Path fixturesWithNanLlama(Path tmp) throws IOException {
    Path src = Fixtures.path("");
    Path dst = tmp.resolve("fixtures");
    try (Stream<Path> all = Files.walk(src)) {
      for (Path p : all.toList()) {
        Path q = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
    Path model = dst.resolve("models/tiny-llama");
    boolean done = false;
    try (Stream<Path> shards = Files.list(model)) {
      for (Path shard : shards.filter(p -> p.toString().endsWith(".safetensors")).toList()) {
        Map<String, SafetensorsWriter.Entry> t = Fixtures.tensorsOf(shard);
        SafetensorsWriter.Entry norm = t.get("model.norm.weight");
        if (norm != null) {
          byte[] nan = new byte[norm.data().length];
          for (int i = 0; i < nan.length; i += 2) {
            nan[i] = (byte) 0xC0; // BF16 quiet NaN 0x7FC0, little-endian
            nan[i + 1] = (byte) 0x7F;
          }
          t.put("model.norm.weight", new SafetensorsWriter.Entry("BF16", norm.shape(), nan));
          SafetensorsWriter.write(shard, t);
          resign(dst, shard);
          done = true;
        }
      }
    }
    assertThat(done).as("model.norm.weight found").isTrue();
    return dst;
  }

  /**
   * Records the planted file's new SHA-256 in the copy's SHA256SUMS (check-fixtures verifies the
   * sums before comparing), so that it is the NaN that check-fixtures reports.
   */
  private static void resign(Path fixtures, Path file) throws IOException {
    Path sums = fixtures.resolve("SHA256SUMS");
    String rel = "./" + fixtures.relativize(file).toString().replace('\\', '/');
    String sum;
    try {
      sum =
          java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(sums));
    lines.replaceAll(l -> l.endsWith("  " + rel) ? sum + "  " + rel : l);
    Files.write(sums, lines);
  }

  @Test
  void scorePrintsTheValuesButExits1() throws Exception {
    Path fx = fixturesWithNanLlama(tmp);
    String[] r =
        run(
            new ScoreCommand(),
            "--ckpt",
            fx.resolve("models/tiny-llama").toString(),
            "--text",
            "The capital of France",
            "--device",
            "cpu");
    assertThat(r[0]).as(r[2]).isEqualTo("1");
    assertThat(r[1]).contains("logprob").contains("NaN");
    assertThat(r[2]).contains("log-prob of token 1").contains("is NaN");
  }

  @Test
  void checkFixturesFailsNamingNonFiniteValues() throws Exception {
    Path fx = fixturesWithNanLlama(tmp);
    String[] r = run(new CheckFixturesCommand(), "--fixtures", fx.toString(), "--device", "cpu");
    assertThat(r[0]).as(r[1] + r[2]).isEqualTo("1");
    assertThat(r[1])
        .contains("check-fixtures: FAIL")
        .containsPattern("tiny-llama .*non-finite values [1-9]");
    assertThat(r[1]).containsPattern("tiny-qwen2 .*non-finite values 0 +ok");
  }
}
