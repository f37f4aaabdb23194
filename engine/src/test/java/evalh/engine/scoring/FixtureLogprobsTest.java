package evalh.engine.scoring;

import static evalh.engine.Fixtures.LOGPROB_TOL;
import static evalh.engine.Fixtures.SUM_TOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.engine.Fixtures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Next-token log-probs of six sequences against the float64 reference, for every model. */
class FixtureLogprobsTest {

  @ParameterizedTest
  @FieldSource("evalh.engine.Fixtures#MODELS")
  void nextTokenLogprobsMatchReference(String model) {
    JsonNode exp = Fixtures.expected("logprobs-" + model + ".json");
    try (LoglikelihoodEngine engine = Fixtures.engine(model, 512)) {
      int checked = 0;
      for (JsonNode seq : exp.path("sequences")) {
        String name = seq.path("name").asText();
        int[] ids = Fixtures.ints(seq.path("input_ids"));
        if (ids.length > 1) {
          TokenRequest r =
              new TokenRequest(new int[] {ids[0]}, Arrays.copyOfRange(ids, 1, ids.length), false);
          TokenScorer.TokenScores s = engine.scoreTokens(List.of(r), Progress.NONE).get(0);
          JsonNode want = seq.path("next_token_logprobs");
          assertThat(s.logprobs()).as(name).hasSize(want.size());
          for (int i = 0; i < want.size(); i++) {
            assertThat(s.logprobs()[i])
                .as("%s %s position %d", model, name, i)
                .isCloseTo(want.get(i).asDouble(), within(LOGPROB_TOL));
            checked++;
          }
          assertThat(s.sum())
              .as(name + " sum")
              .isCloseTo(seq.path("sum_next_token_logprobs").asDouble(), within(SUM_TOL));
        }
        // Full rows, and the argmax wherever the reference's top-2 gap is unambiguous.
        int[] argmax = Fixtures.ints(seq.path("argmax"));
        int[] all = new int[ids.length];
        for (int i = 0; i < all.length; i++) {
          all[i] = i;
        }
        float[][] rows = engine.model().logSoftmaxAt(ids, all);
        for (int i = 0; i < argmax.length; i++) {
          if (seq.path("top2_gap").get(i).asDouble() >= 1e-3) {
            assertThat(argmaxOf(rows[i]))
                .as("%s %s argmax at %d", model, name, i)
                .isEqualTo(argmax[i]);
          }
        }
        JsonNode full = seq.path("full_logprobs");
        for (var e : full.properties()) {
          int pos = Integer.parseInt(e.getKey());
          JsonNode row = e.getValue();
          assertThat(rows[pos]).hasSize(row.size());
          for (int v = 0; v < row.size(); v++) {
            assertThat((double) rows[pos][v])
                .as("%s %s full row %d token %d", model, name, pos, v)
                .isCloseTo(row.get(v).asDouble(), within(LOGPROB_TOL));
          }
        }
      }
      assertThat(checked).as("log-probs compared").isGreaterThan(500);
    }
  }

  private static int argmaxOf(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }
}
