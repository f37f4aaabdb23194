package evalh.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestCacheTest {
  @TempDir Path tmp;

  @Test
  void persistsBatchesAndCutsATornLastLine() throws Exception {
    Path f = tmp.resolve("c/requests.jsonl");
    try (RequestCache c = RequestCache.open(f)) {
      c.appendAll(
          List.of("k1", "k2"),
          List.of(
              new RequestCache.Entry(-1.25, true, 2, 0),
              new RequestCache.Entry(-0.1, false, 1, 1)));
    }
    // a kill -9 in the middle of the next append leaves half a line
    Files.writeString(f, "{\"k\":\"k3\",\"ll\":-2.", StandardOpenOption.APPEND);
    try (RequestCache c = RequestCache.open(f)) {
      assertThat(c.dropped()).isEqualTo(1);
      assertThat(c.size()).isEqualTo(2);
      assertThat(c.get("k1")).isEqualTo(new RequestCache.Entry(-1.25, true, 2, 0));
      assertThat(c.get("k3")).isNull();
      c.appendAll(List.of("k3"), List.of(new RequestCache.Entry(-3.0, false, 4, 0)));
    }
    assertThat(Files.readAllLines(f)).hasSize(3);
    try (RequestCache c = RequestCache.open(f)) {
      assertThat(c.dropped()).isZero();
      assertThat(c.get("k3").logprob()).isEqualTo(-3.0);
      assertThat(c.get("k2")).isEqualTo(new RequestCache.Entry(-0.1, false, 1, 1));
    }
  }

  @Test
  void aCacheInUseIsRefused() {
    Path f = tmp.resolve("requests.jsonl");
    try (RequestCache c = RequestCache.open(f)) {
      assertThat(c.size()).isZero();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> RequestCache.open(f))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already open");
    }
    RequestCache.open(f).close();
  }

  @Test
  void keysSeparateParts() {
    assertThat(RequestCache.key("ab", "c")).isNotEqualTo(RequestCache.key("a", "bc"));
    assertThat(RequestCache.key("x")).hasSize(64).isEqualTo(RequestCache.key("x"));
  }
}
