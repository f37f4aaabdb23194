package evalh.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.engine.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Pythia's tokenizer adds no BOS, and its {@code <|endoftext|>} is both BOS and EOS. tiny-gpt-neox
 * has the same policy (fixtures README 8.4): lm-eval's prefix token (bos_token_id, else
 * eos_token_id: here 499) fills an empty context (and starts the rolling windows, checked against
 * the reference in FixtureRollingTest); every other request starts with its own first token.
 */
class NoBosTokenizerTest {

  @Test
  void prefixTokenFillsOnlyTheEmptyContext() throws Exception {
    JsonNode cfg =
        Fixtures.JSON.readTree(Fixtures.model("tiny-gpt-neox").resolve("config.json").toFile());
    int bos = cfg.path("bos_token_id").asInt();
    assertThat(bos).isEqualTo(cfg.path("eos_token_id").asInt()).isEqualTo(499);
    try (LoglikelihoodEngine e = Fixtures.engine("tiny-gpt-neox", 512)) {
      assertThat(e.addBos()).isFalse();
      assertThat(e.tokenizer().bosId()).hasValue(bos);
      assertThat(e.tokenizer().eosId()).hasValue(bos);
      assertThat(e.tokenizer().encodeWithSpecialTokens("The sun"))
          .containsExactly(e.tokenizer().encode("The sun"));
      assertThat(e.fingerprint().prefixTokenId()).isEqualTo(bos);
      assertThat(e.fingerprint().addBos()).isFalse();

      RequestEncoder enc = encoder(e);
      TokenRequest empty = enc.tokens(enc.split(new ContinuationRequest("", " The sun")));
      assertThat(empty.shared()).containsExactly(bos);
      ContinuationRequest qa = new ContinuationRequest("The capital of France is", " Paris");
      TokenRequest plain = enc.tokens(enc.split(qa));
      int[] ctx = e.tokenizer().encode("The capital of France is");
      assertThat(plain.shared()).containsExactly(ctx);
    }
    // --add-bos true prepends that token to every request, as lm-eval's add_bos_token=True.
    try (LoglikelihoodEngine forced =
        LoglikelihoodEngine.open(
            Fixtures.model("tiny-gpt-neox").toString(),
            EngineOptions.defaults().withDevice("cpu").withAddBos(true))) {
      RequestEncoder enc = encoder(forced);
      TokenRequest r = enc.tokens(enc.split(new ContinuationRequest("The capital", " of")));
      assertThat(r.shared()[0]).isEqualTo(bos);
      assertThat(r.shared()).hasSize(1 + forced.tokenizer().encode("The capital").length);
    }
  }

  /** The encoder the engine scores with: its BOS policy, prefix token and max length. */
  private static RequestEncoder encoder(LoglikelihoodEngine e) {
    return new RequestEncoder(
        e.tokenizer(), e.addBos(), e.fingerprint().prefixTokenId(), e.maxLength());
  }
}
