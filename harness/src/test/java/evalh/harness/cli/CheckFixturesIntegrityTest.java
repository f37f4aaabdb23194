package evalh.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.engine.Fixtures;
import evalh.harness.TestCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B15: check-fixtures said PASS with max |Δ| 0 on fixtures whose lists were all empty, and did not
 * verify SHA256SUMS.
 */
class CheckFixturesIntegrityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Path copyFixtures() throws IOException {
    Path src = Fixtures.path("");
    Path dst = tmp.resolve("fixtures");
    try (Stream<Path> w = Files.walk(src)) {
      for (Path p : w.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return dst;
  }

  private static String sha256(Path f) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }

  private static String[] check(Path fixtures) {
    return TestCli.run(
        new CheckFixturesCommand(),
        "--fixtures",
        fixtures.toString(),
        "--torch",
        "bundled",
        "--device",
        "cpu");
  }

  @Test
  void aFileThatDoesNotMatchItsSumFailsBeforeAnyCompute() throws Exception {
    Path fx = copyFixtures();
    // the values are unchanged (a trailing newline), only the bytes differ from SHA256SUMS
    Path f = fx.resolve("expected/rolling-tiny-qwen2.json");
    Files.writeString(f, "\n", StandardOpenOption.APPEND);
    String[] r = check(fx);
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1])
        .contains(f + ": sha256 " + sha256(f))
        .contains("check-fixtures: FAIL (the fixtures do not match their SHA256SUMS");
  }

  @Test
  void expectedFilesWithNothingToCompareFail() throws Exception {
    Path fx = copyFixtures();
    List<String> sums = new ArrayList<>(Files.readAllLines(fx.resolve("SHA256SUMS")));
    for (String model : CheckFixturesCommand.MODELS) {
      for (String[] kind :
          new String[][] {
            {"logprobs", "sequences"}, {"loglikelihood", "items"}, {"rolling", "blocks"}
          }) {
        String rel = "expected/" + kind[0] + "-" + model + ".json";
        Path f = fx.resolve(rel);
        ObjectNode o = (ObjectNode) JSON.readTree(f.toFile());
        o.putArray(kind[1]);
        Files.writeString(f, JSON.writeValueAsString(o), StandardCharsets.UTF_8);
        String sum = sha256(f);
        sums.replaceAll(l -> l.endsWith("./" + rel) ? sum + "  ./" + rel : l);
      }
    }
    Files.write(fx.resolve("SHA256SUMS"), sums);
    String[] r = check(fx);
    assertThat(r[0]).as(r[1] + r[2]).isEqualTo("1");
    assertThat(r[1]).contains("tiny-llama: nothing to compare").contains("check-fixtures: FAIL");
  }
}
