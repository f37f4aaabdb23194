package evalh.harness.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.core.embed.SentenceEncoder;
import evalh.core.embed.SentenceEncoderProvider;
import evalh.engine.Fixtures;
import evalh.harness.TestCli;
import evalh.harness.cli.EmbedCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evalh embed} and the ServiceLoader-found provider against the float64 reference of the
 * tiny-bert fixture (engine test resources, generate.py).
 */
class EmbedCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  static JsonNode item(int i) throws IOException {
    return JSON.readTree(Fixtures.path("tiny-bert/expected.json").toFile()).path("items").get(i);
  }

  @Test
  void jsonIsExactlyOneObjectWithIdsAndTheReferenceEmbedding() throws IOException {
    JsonNode item = item(3); // truncated to max_seq_length 24
    String[] r =
        TestCli.run(
            new EmbedCommand(),
            "--ckpt",
            Fixtures.path("tiny-bert/model").toString(),
            "--text",
            item.path("text").asText(),
            "--json",
            "--device",
            "cpu");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1].strip().lines()).hasSize(1);
    JsonNode o = JSON.readTree(r[1]);
    assertThat(o.properties().stream().map(e -> e.getKey()).toList())
        .containsExactly("ids", "embedding");
    assertThat(o.path("ids")).isEqualTo(item.path("ids"));
    JsonNode want = item.path("normalized").path("mean");
    assertThat(o.path("embedding")).hasSize(want.size());
    for (int d = 0; d < want.size(); d++) {
      assertThat(o.path("embedding").get(d).asDouble())
          .as("dim %d", d)
          .isCloseTo(want.get(d).asDouble(), within(1e-5));
    }
  }

  @Test
  void textOrBenchIsRequiredAndBenchReportsWindowsPerSecond() {
    String ckpt = Fixtures.path("tiny-bert/model").toString();
    String[] none = TestCli.run(new EmbedCommand(), "--ckpt", ckpt);
    assertThat(none[0]).isEqualTo("2");
    assertThat(none[2]).contains("exactly one of --text and --bench");
    String[] b =
        TestCli.run(
            new EmbedCommand(),
            "--ckpt",
            ckpt,
            "--bench",
            "8",
            "--bench-words",
            "10",
            "--device",
            "cpu");
    assertThat(b[0]).as(b[2]).isEqualTo("0");
    // every window word is a whole vocabulary word (one token), plus [CLS] and [SEP]
    assertThat(b[1]).contains("8 windows of 10 words, 12.0 tokens per window");
    assertThat(b[1]).containsPattern("median: [0-9.]+ windows/s");
  }

  @Test
  void providerIsFoundByServiceLoaderAndEmbedsAsTheReference() throws IOException {
    List<SentenceEncoderProvider> found =
        ServiceLoader.load(SentenceEncoderProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    assertThat(found).hasSize(1).first().isInstanceOf(EngineSentenceEncoders.class);
    JsonNode a = item(0);
    JsonNode b = item(4);
    try (SentenceEncoder enc = found.get(0).open(Fixtures.path("tiny-bert/model"), "cpu")) {
      assertThat(enc.normalized()).isTrue();
      assertThat(enc.dimension()).isEqualTo(32);
      assertThat(enc.describe()).contains("pooling [mean], normalized");
      List<float[]> got = enc.embed(List.of(a.path("text").asText(), b.path("text").asText()));
      for (int d = 0; d < 32; d++) {
        assertThat((double) got.get(0)[d])
            .isCloseTo(a.path("normalized").path("mean").get(d).asDouble(), within(1e-5));
        assertThat((double) got.get(1)[d])
            .isCloseTo(b.path("normalized").path("mean").get(d).asDouble(), within(1e-5));
      }
    }
  }

  @Test
  void providerReportsAnUnusableCheckpointAsIoExceptionNamingTheKey() throws IOException {
    Path src = Fixtures.path("tiny-bert/model");
    Path dst = tmp.resolve("bad");
    try (Stream<Path> all = Files.walk(src)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.copy(p, dst.resolve(src.relativize(p).toString()));
      }
    }
    ObjectNode c = (ObjectNode) JSON.readTree(dst.resolve("config.json").toFile());
    c.put("position_embedding_type", "relative_key_query");
    Files.writeString(dst.resolve("config.json"), c.toString());
    assertThatThrownBy(() -> new EngineSentenceEncoders().open(dst, "cpu"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("position_embedding_type");
  }
}
