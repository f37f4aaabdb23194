package evalh.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.engine.Fixtures;
import evalh.harness.cli.CheckFixturesCommand;
import evalh.harness.cli.ScoreCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The harness commands as a user runs them. */
class CliTest {

  private static String[] run(Object command, String... args) {
    return TestCli.run(command, args);
  }

  @ParameterizedTest
  @FieldSource("evalh.engine.Fixtures#MODELS")
  void scoreJsonIsOneObjectMatchingTheReference(String model) throws Exception {
    // score encodes with the tokenizer's default special tokens: BOS + text where the tokenizer
    // adds BOS (len17_bos is BOS + the first 16 tokens of its source text), the bare text where it
    // adds none (Pythia-style tiny-gpt-neox; len64_nobos is the first 64 tokens).
    boolean bos = Fixtures.addsBos(model);
    JsonNode seq = null;
    for (JsonNode s : Fixtures.expected("logprobs-" + model + ".json").path("sequences")) {
      if (s.path("name").asText().equals(bos ? "len17_bos" : "len64_nobos")) {
        seq = s;
      }
    }
    int[] ids = Fixtures.ints(seq.path("input_ids"));
    int[] textIds = bos ? java.util.Arrays.copyOfRange(ids, 1, ids.length) : ids;
    String text;
    try (var tok = evalh.engine.tokenizer.TextTokenizer.load(Fixtures.model(model))) {
      text = tok.decode(textIds, false);
      assertThat(tok.encode(text)).containsExactly(textIds);
    }
    String[] r =
        run(
            new ScoreCommand(),
            "--ckpt",
            Fixtures.model(model).toString(),
            "--text",
            text,
            "--json",
            "--device",
            "cpu");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1].strip().lines()).hasSize(1);
    JsonNode o = Fixtures.JSON.readTree(r[1]);
    assertThat(Fixtures.ints(o.path("ids"))).containsExactly(ids);
    assertThat(o.path("tokens").size()).isEqualTo(ids.length);
    if (bos) {
      assertThat(o.path("tokens").get(0).asText()).isEqualTo("<s>");
    }
    assertThat(o.path("logprobs").get(0).isNull()).isTrue();
    for (int i = 1; i < ids.length; i++) {
      assertThat(o.path("logprobs").get(i).asDouble())
          .as("%s position %d", model, i)
          .isCloseTo(
              seq.path("next_token_logprobs").get(i - 1).asDouble(),
              org.assertj.core.api.Assertions.within(Fixtures.LOGPROB_TOL));
    }
  }

  @Test
  void scoreTableAndErrors() {
    String[] ok =
        run(new ScoreCommand(), "--ckpt", "demo", "--text", "Hello\tworld", "--device", "cpu");
    assertThat(ok[0]).isEqualTo("0");
    assertThat(ok[1]).contains("logprob").contains("ĉ").contains("sum of 9 log-probs");
    String[] usage = run(new ScoreCommand(), "--text", "x");
    assertThat(usage[0]).isEqualTo("2");
    assertThat(usage[2]).contains("Missing required option: '--ckpt=DIR'");
  }

  @Test
  void checkFixturesPassesOnCpu() {
    String[] r =
        run(
            new CheckFixturesCommand(),
            "--fixtures",
            Fixtures.path("").toString(),
            "--device",
            "cpu");
    assertThat(r[1]).contains("check-fixtures: PASS");
    for (String model : Fixtures.MODELS) {
      assertThat(r[1]).containsPattern("(?m)^" + model + " .* ok$");
    }
    assertThat(r[0]).isEqualTo("0");
  }
}
