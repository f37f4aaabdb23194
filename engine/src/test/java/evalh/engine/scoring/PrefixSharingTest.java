package evalh.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import evalh.engine.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Few-shot prefix sharing must not change any answer: the same requests scored with the shared
 * prefix's cached keys/values and scored in full agree within the fixtures' tolerance, including
 * when a prefix's rows span several batches and for single-token continuations.
 */
class PrefixSharingTest {

  private static final String[] SUBJECT_BLOCKS = {
    "The following are multiple choice questions (with answers) about astronomy.\n\n"
        + "Which planet is known as the Red Planet?\nA. Venus\nB. Mars\nC. Jupiter\nD. Saturn\nAnswer: B\n\n"
        + "What is the closest star to the Earth?\nA. Sirius\nB. Alpha Centauri\nC. The Sun\nD. Vega\nAnswer: C\n\n",
    "The following are multiple choice questions (with answers) about virology.\n\n"
        + "Which of these viruses has an RNA genome?\nA. Herpes simplex\nB. Influenza\nC. Adenovirus\nD. Smallpox\n"
        + "Answer: B\n\nWhat structure surrounds the capsid of enveloped viruses?\nA. A cell wall\nB. A lipid"
        + " membrane\nC. A flagellum\nD. A ribosome\nAnswer: B\n\n"
  };

  private static final String[] QUESTIONS = {
    "How many moons does Mars have?\nA. None\nB. One\nC. Two\nD. Three\nAnswer:",
    "Which force keeps planets in orbit?\nA. Magnetism\nB. Gravity\nC. Friction\nD. Tension\nAnswer:",
    "What is a light-year?\nA. A unit of time\nB. A unit of distance\nC. A unit of mass\nD. A unit of speed\nAnswer:",
    "Which gas is most abundant in the Sun?\nA. Helium\nB. Oxygen\nC. Hydrogen\nD. Carbon\nAnswer:",
    "What causes the seasons?\nA. Distance to the Sun\nB. Axial tilt\nC. Solar flares\nD. The Moon\nAnswer:",
  };

  private static List<ContinuationRequest> requests() {
    List<ContinuationRequest> out = new ArrayList<>();
    for (String block : SUBJECT_BLOCKS) {
      for (String q : QUESTIONS) {
        for (String c : new String[] {" A", " B", " C", " D"}) {
          out.add(new ContinuationRequest(block + q, c));
        }
        out.add(new ContinuationRequest(block + q, " The answer is gravity, most likely."));
      }
    }
    out.add(new ContinuationRequest("A short unrelated context:", " yes"));
    return out;
  }

  @ParameterizedTest
  @CsvSource({
    "tiny-llama,100000",
    "tiny-llama,200",
    "tiny-llama,64",
    "tiny-qwen2,100000",
    "tiny-qwen2,200",
    "tiny-qwen2,64"
  })
  void sharedPrefixGivesTheSameAnswers(String model, int batchTokens) {
    List<ContinuationRequest> reqs = requests();
    EngineOptions base =
        EngineOptions.defaults()
            .withTorch("bundled")
            .withDevice("cpu")
            .withMaxLength(512)
            .withBatchTokens(batchTokens);
    try (LoglikelihoodEngine shared =
            LoglikelihoodEngine.open(Fixtures.model(model).toString(), base);
        LoglikelihoodEngine full =
            LoglikelihoodEngine.open(
                Fixtures.model(model).toString(), base.withSharePrefixes(false))) {
      List<LoglikelihoodResult> a = shared.loglikelihood(reqs, Progress.NONE);
      List<LoglikelihoodResult> b = full.loglikelihood(reqs, Progress.NONE);
      for (int i = 0; i < reqs.size(); i++) {
        assertThat(a.get(i).continuationIds()).isEqualTo(b.get(i).continuationIds());
        for (int j = 0; j < a.get(i).tokenLogprobs().length; j++) {
          assertThat(a.get(i).tokenLogprobs()[j])
              .as("request %d token %d", i, j)
              .isCloseTo(b.get(i).tokenLogprobs()[j], within(Fixtures.LOGPROB_TOL / 2));
        }
        assertThat(a.get(i).greedy()).as("request %d", i).isEqualTo(b.get(i).greedy());
      }
      long sharedTokens = shared.stats().forwardTokens();
      long fullTokens = full.stats().forwardTokens();
      // Two subjects' blocks run once each instead of once per question.
      assertThat(sharedTokens).isLessThan(fullTokens / 2);
    }
  }
}
