package evalh.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.engine.scoring.DemoCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedTokenizersTest {
  @TempDir Path tmp;

  private static Path copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path f : s.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  @Test
  void checkpointsWithIdenticalTokenizerFilesShareOneTokenizer() throws Exception {
    Path demo = DemoCheckpoint.resolve("demo");
    Path a = copy(demo, tmp.resolve("step-1"));
    Path b = copy(demo, tmp.resolve("step-2"));
    Path c = copy(demo, tmp.resolve("step-3"));
    // a different BOS in tokenizer_config.json: a tokenizer of its own
    Files.writeString(
        c.resolve("tokenizer_config.json"),
        Files.readString(c.resolve("tokenizer_config.json")).replace("{", "{\"evalh_test\": 1,"));
    try (SharedTokenizers shared = new SharedTokenizers()) {
      TextTokenizer ta = shared.get(a);
      TextTokenizer tb = shared.get(b);
      assertThat(tb).isSameAs(ta);
      assertThat(shared.loads()).isEqualTo(1);
      TextTokenizer tc = shared.get(c);
      assertThat(tc).isNotSameAs(ta);
      assertThat(shared.loads()).isEqualTo(2);
      assertThat(tb.encode("hello world")).containsExactly(ta.encode("hello world"));
    }
  }
}
