package evalh.engine.scoring;

import static evalh.engine.Fixtures.LOGPROB_TOL;
import static evalh.engine.Fixtures.SUM_TOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.engine.Fixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** lm-eval-style loglikelihood requests (token splits, truncation, is_greedy) vs the reference. */
class FixtureLoglikelihoodTest {

  @ParameterizedTest
  @FieldSource("evalh.engine.Fixtures#MODELS")
  void requestsMatchReference(String model) {
    JsonNode exp = Fixtures.expected("loglikelihood-" + model + ".json");
    List<ContinuationRequest> reqs = new ArrayList<>();
    for (JsonNode it : exp.path("items")) {
      reqs.add(
          new ContinuationRequest(it.path("context").asText(), it.path("continuation").asText()));
    }
    try (LoglikelihoodEngine engine = Fixtures.engine(model, exp.path("max_length").asInt())) {
      // The BOS policy follows the tokenizer: Pythia-style tiny-gpt-neox adds none (README 8.4).
      assertThat(engine.addBos())
          .as("tokenizer adds BOS by default")
          .isEqualTo(Fixtures.addsBos(model));
      List<LoglikelihoodResult> got = engine.loglikelihood(reqs, Progress.NONE);
      for (int i = 0; i < reqs.size(); i++) {
        JsonNode it = exp.path("items").get(i);
        String name = it.path("name").asText();
        LoglikelihoodResult r = got.get(i);
        assertThat(r.contextIds())
            .as(name + " ctx_ids")
            .containsExactly(Fixtures.ints(it.path("ctx_ids")));
        assertThat(r.continuationIds())
            .as(name + " cont_ids")
            .containsExactly(Fixtures.ints(it.path("cont_ids")));
        assertThat(r.truncated())
            .as(name + " truncated")
            .isEqualTo(it.path("truncated").asBoolean());
        JsonNode lps = it.path("cont_logprobs");
        for (int j = 0; j < lps.size(); j++) {
          assertThat(r.tokenLogprobs()[j])
              .as("%s token %d", name, j)
              .isCloseTo(lps.get(j).asDouble(), within(LOGPROB_TOL));
        }
        assertThat(r.logprob())
            .as(name + " sum")
            .isCloseTo(it.path("sum_logprob").asDouble(), within(SUM_TOL));
        assertThat(r.greedy()).as(name + " is_greedy").isEqualTo(it.path("is_greedy").asBoolean());
      }

      // Batching, order and packing must not change any answer: shuffle, tiny budget, big budget.
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < reqs.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(7));
      List<ContinuationRequest> shuffled = order.stream().map(reqs::get).toList();
      for (int budget : new int[] {1, 300, 100_000}) {
        try (LoglikelihoodEngine other =
            LoglikelihoodEngine.open(
                Fixtures.model(model).toString(),
                EngineOptions.defaults()
                    .withDevice("cpu")
                    .withMaxLength(512)
                    .withBatchTokens(budget))) {
          List<LoglikelihoodResult> again = other.loglikelihood(shuffled, Progress.NONE);
          for (int k = 0; k < order.size(); k++) {
            assertThat(again.get(k).logprob())
                .as("budget %d request %d", budget, order.get(k))
                .isCloseTo(got.get(order.get(k)).logprob(), within(1e-4));
            assertThat(again.get(k).greedy()).isEqualTo(got.get(order.get(k)).greedy());
          }
        }
      }
    }
  }

  @ParameterizedTest
  @FieldSource("evalh.engine.Fixtures#MODELS")
  void choicesSharingAContextCostOneForwardPass(String model) {
    JsonNode exp = Fixtures.expected("loglikelihood-" + model + ".json");
    List<ContinuationRequest> mc = new ArrayList<>();
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode it : exp.path("items")) {
      if (it.path("name").asText().startsWith("mc_")) {
        mc.add(
            new ContinuationRequest(it.path("context").asText(), it.path("continuation").asText()));
        items.add(it);
      }
    }
    assertThat(mc).hasSize(4);
    try (LoglikelihoodEngine engine = Fixtures.engine(model, 512)) {
      List<LoglikelihoodResult> got = engine.loglikelihood(mc, Progress.NONE);
      int contextTokens = (Fixtures.addsBos(model) ? 1 : 0) + items.get(0).path("ctx_ids").size();
      int branchTokens = 0;
      for (int i = 0; i < 4; i++) {
        branchTokens += got.get(i).continuationIds().length - 1;
        assertThat(got.get(i).logprob())
            .isCloseTo(items.get(i).path("sum_logprob").asDouble(), within(SUM_TOL));
      }
      long forward = engine.stats().forwardTokens();
      // One pass over the shared prompt plus the non-final tokens of each continuation.
      assertThat(forward).isEqualTo(contextTokens + branchTokens);
      assertThat(forward).isLessThan(2L * contextTokens);
    }
  }
}
