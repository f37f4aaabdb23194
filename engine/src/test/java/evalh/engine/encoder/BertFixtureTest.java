package evalh.engine.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.engine.Fixtures;
import evalh.engine.checkpoint.CheckpointException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The BERT sentence encoder against the float64 numpy reference of {@code fixtures/tiny-bert}
 * (generate.py: BertModel, pooling and Normalize written from the transformers and
 * sentence-transformers definitions, token ids from its own WordPiece), on TorchRuntime.
 */
class BertFixtureTest {
  /** Per-dimension tolerance of a float32 embedding against the float64 reference. */
  static final double TOL = 1e-5;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream NOTES =
      new PrintStream(System.err, true, StandardCharsets.UTF_8);

  @TempDir Path tmp;

  static JsonNode expected() {
    try {
      return JSON.readTree(Fixtures.path("tiny-bert/expected.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of the fixture checkpoint with the given pooling modes and Normalize module. */
  Path variant(List<String> modes, boolean normalize) throws IOException {
    Path src = Fixtures.path("tiny-bert/model");
    Path dst = tmp.resolve(String.join("-", modes) + (normalize ? "-norm" : ""));
    try (Stream<Path> all = Files.walk(src)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path d = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(d);
        } else {
          Files.copy(p, d);
        }
      }
    }
    ObjectNode pool = (ObjectNode) JSON.readTree(dst.resolve("1_Pooling/config.json").toFile());
    for (Pooling p : Pooling.values()) {
      pool.put(p.key(), modes.contains(p.name().toLowerCase(java.util.Locale.ROOT)));
    }
    Files.writeString(dst.resolve("1_Pooling/config.json"), pool.toString());
    if (!normalize) {
      var modules =
          (com.fasterxml.jackson.databind.node.ArrayNode)
              JSON.readTree(dst.resolve("modules.json").toFile());
      modules.remove(2);
      Files.writeString(dst.resolve("modules.json"), modules.toString());
    }
    return dst;
  }

  static BertSentenceEncoder open(Path dir) {
    return BertSentenceEncoder.open(dir, "bundled", "cpu", "float32", NOTES);
  }

  @Test
  void meanNormalizedMatchesReferenceInOneBatchAndOneByOne() {
    JsonNode exp = expected();
    List<String> texts = new ArrayList<>();
    exp.path("items").forEach(i -> texts.add(i.path("text").asText()));
    try (BertSentenceEncoder enc = open(Fixtures.path("tiny-bert/model"))) {
      assertThat(enc.normalized()).isTrue();
      assertThat(enc.dimension()).isEqualTo(32);
      assertThat(enc.maxSeqLength()).isEqualTo(24);
      List<float[]> batch = enc.embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        JsonNode item = exp.path("items").get(i);
        assertThat(enc.ids(texts.get(i)))
            .as("ids of %s", texts.get(i))
            .containsExactly(Fixtures.ints(item.path("ids")));
        float[] alone = enc.embed(List.of(texts.get(i))).get(0);
        assertClose(batch.get(i), item.path("normalized").path("mean"), "batch " + i);
        assertClose(alone, item.path("normalized").path("mean"), "alone " + i);
        for (int d = 0; d < alone.length; d++) {
          assertThat(batch.get(i)[d])
              .as("text %d dim %d: batched vs alone", i, d)
              .isCloseTo(alone[d], within(1e-6f));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cls", "max", "mean_sqrt_len"})
  void otherPoolingModesMatchReference(String mode) throws IOException {
    check(List.of(mode), false);
  }

  @Test
  void severalModesConcatenateInSentenceTransformersOrder() throws IOException {
    check(List.of("mean", "cls", "max"), true);
  }

  private void check(List<String> modes, boolean normalize) throws IOException {
    JsonNode exp = expected();
    List<String> order =
        Stream.of(Pooling.values())
            .map(p -> p.name().toLowerCase(java.util.Locale.ROOT))
            .filter(modes::contains)
            .toList();
    List<String> texts = new ArrayList<>();
    exp.path("items").forEach(i -> texts.add(i.path("text").asText()));
    try (BertSentenceEncoder enc = open(variant(modes, normalize))) {
      assertThat(enc.normalized()).isEqualTo(normalize);
      List<float[]> got = enc.embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        JsonNode pooled = exp.path("items").get(i).path("pooled");
        double[] want = new double[32 * order.size()];
        for (int m = 0; m < order.size(); m++) {
          JsonNode v = pooled.path(order.get(m));
          for (int d = 0; d < 32; d++) {
            want[m * 32 + d] = v.get(d).asDouble();
          }
        }
        if (normalize) {
          double sq = 0;
          for (double x : want) {
            sq += x * x;
          }
          for (int d = 0; d < want.length; d++) {
            want[d] /= Math.sqrt(sq);
          }
        }
        assertThat(got.get(i)).hasSize(want.length);
        for (int d = 0; d < want.length; d++) {
          assertThat((double) got.get(i)[d])
              .as("%s text %d dim %d", modes, i, d)
              .isCloseTo(want[d], within(TOL));
        }
      }
    }
  }

  private static void assertClose(float[] got, JsonNode want, String what) {
    assertThat(got).as(what).hasSize(want.size());
    for (int d = 0; d < got.length; d++) {
      assertThat((double) got[d])
          .as("%s dim %d", what, d)
          .isCloseTo(want.get(d).asDouble(), within(TOL));
    }
  }

  @Test
  void unsupportedConfigKeysAreRefusedByName() throws IOException {
    Path dir = variant(List.of("mean"), true);
    Path cfg = dir.resolve("config.json");
    String original = Files.readString(cfg);
    for (String[] bad :
        new String[][] {
          {"position_embedding_type", "\"relative_key\""},
          {"is_decoder", "true"},
          {"add_cross_attention", "true"},
          {"hidden_act", "\"relu\""},
          {"model_type", "\"roberta\""},
        }) {
      ObjectNode c = (ObjectNode) JSON.readTree(original);
      c.set(bad[0], JSON.readTree(bad[1]));
      Files.writeString(cfg, c.toString());
      assertThatThrownBy(() -> open(dir))
          .isInstanceOf(CheckpointException.class)
          .hasMessageContaining("config.json")
          .hasMessageContaining(bad[0]);
    }
    Files.writeString(cfg, original);
    Path pool = dir.resolve("1_Pooling/config.json");
    ObjectNode p = (ObjectNode) JSON.readTree(pool.toFile());
    p.put("pooling_mode_weightedmean_tokens", true);
    Files.writeString(pool, p.toString());
    assertThatThrownBy(() -> open(dir)).hasMessageContaining("pooling_mode_weightedmean_tokens");
  }

  @Test
  void aMissingFileIsNamed() throws IOException {
    Path dir = variant(List.of("mean"), true);
    Files.delete(dir.resolve("config.json"));
    assertThatThrownBy(() -> open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(dir.resolve("config.json") + ": missing");
    Files.delete(dir.resolve("1_Pooling/config.json"));
    assertThatThrownBy(() -> open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(dir.resolve("1_Pooling/config.json") + ": missing");
  }

  @Test
  void aWrongTensorShapeIsNamed() throws IOException {
    Path dir = variant(List.of("mean"), true);
    Path cfg = dir.resolve("config.json");
    ObjectNode c = (ObjectNode) JSON.readTree(cfg.toFile());
    c.put("intermediate_size", 48);
    Files.writeString(cfg, c.toString());
    assertThatThrownBy(() -> open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("encoder.layer.0.intermediate.dense.weight")
        .hasMessageContaining("[64, 32]");
  }
}
