package evalh.engine.scoring;

import static evalh.engine.Fixtures.BPB_REL_TOL;
import static evalh.engine.Fixtures.SUM_TOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.engine.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** lm-eval loglikelihood_rolling with BOS and EOS prefixes vs the reference. */
class FixtureRollingTest {

  @ParameterizedTest
  @FieldSource("evalh.engine.Fixtures#MODELS")
  void rollingLoglikelihoodAndBitsPerByteMatchReference(String model) {
    JsonNode exp = Fixtures.expected("rolling-" + model + ".json");
    int maxLength = exp.path("max_length").asInt();
    for (JsonNode block : exp.path("blocks")) {
      String prefix = block.path("prefix").asText();
      EngineOptions opts =
          EngineOptions.defaults()
              .withDevice("cpu")
              .withMaxLength(maxLength)
              .withRollingPrefix(
                  EngineOptions.RollingPrefix.valueOf(prefix.toUpperCase(java.util.Locale.ROOT)));
      try (LoglikelihoodEngine engine =
          LoglikelihoodEngine.open(Fixtures.model(model).toString(), opts)) {
        List<String> docs = new ArrayList<>();
        for (JsonNode d : block.path("documents")) {
          docs.add(d.path("text").asText());
        }
        List<RollingResult> got = engine.loglikelihoodRolling(docs, Progress.NONE);
        double sumLl = 0;
        long sumBytes = 0;
        for (int i = 0; i < docs.size(); i++) {
          JsonNode d = block.path("documents").get(i);
          String name = prefix + "/" + d.path("name").asText();
          RollingResult r = got.get(i);
          assertThat(r.tokens()).as(name).isEqualTo(d.path("n_tokens").asInt());
          assertThat(r.windows()).as(name).isEqualTo(d.path("windows").size());
          assertThat(r.logprob())
              .as(name)
              .isCloseTo(d.path("loglikelihood").asDouble(), within(SUM_TOL));
          int bytes = docs.get(i).getBytes(StandardCharsets.UTF_8).length;
          assertThat(bytes).isEqualTo(d.path("n_bytes").asInt());
          double bpb = -(r.logprob() / bytes) / Math.log(2);
          double want = d.path("bits_per_byte").asDouble();
          assertThat(Math.abs(bpb - want) / want)
              .as(name + " bpb rel error")
              .isLessThan(BPB_REL_TOL);
          // Window layout, exactly as lm-eval's get_rolling_token_windows + make_disjoint_window.
          int[] ids = engine.tokenizer().encode(docs.get(i));
          assertThat(ids).containsExactly(Fixtures.ints(d.path("token_ids")));
          List<RollingWindows.Window> ws =
              RollingWindows.of(ids, block.path("prefix_token_id").asInt(), maxLength, 1);
          JsonNode details = d.path("window_details");
          assertThat(ws).hasSize(details.size());
          for (int w = 0; w < ws.size(); w++) {
            assertThat(ws.get(w).context())
                .containsExactly(Fixtures.ints(details.get(w).path("context_ids")));
            assertThat(ws.get(w).predicted())
                .containsExactly(Fixtures.ints(details.get(w).path("pred_ids")));
          }
          sumLl += r.logprob();
          sumBytes += bytes;
        }
        JsonNode agg = block.path("aggregate");
        double corpusBpb = -(sumLl / sumBytes) / Math.log(2);
        double want = agg.path("bits_per_byte").asDouble();
        assertThat(Math.abs(corpusBpb - want) / want)
            .as(prefix + " corpus bpb")
            .isLessThan(BPB_REL_TOL);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void documentsAcrossTokenizationChunksKeepTheirOwnScores() {
    JsonNode block = Fixtures.expected("rolling-tiny-qwen2.json").path("blocks").get(0);
    List<String> docs = new ArrayList<>();
    List<Double> want = new ArrayList<>();
    for (int i = 0; docs.size() < LoglikelihoodEngine.ROLLING_CHUNK_DOCS + 7; i++) {
      JsonNode d = block.path("documents").get(i % block.path("documents").size());
      docs.add(d.path("text").asText());
      want.add(d.path("loglikelihood").asDouble());
    }
    docs.add(3, "");
    want.add(3, 0.0);
    try (LoglikelihoodEngine engine = Fixtures.engine("tiny-qwen2", 64)) {
      List<RollingResult> got = engine.loglikelihoodRolling(docs, Progress.NONE);
      assertThat(got).hasSize(docs.size());
      for (int i = 0; i < docs.size(); i++) {
        assertThat(got.get(i).logprob()).as("doc %d", i).isCloseTo(want.get(i), within(SUM_TOL));
      }
      assertThat(got.get(3).tokens()).isZero();
      assertThat(got.get(3).windows()).isZero();
    }
  }
}
