package evalh.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.engine.Fixtures;
import org.junit.jupiter.api.Test;

/** The 50 tokenization fixtures: ids, BOS from the post-processor, round trips. */
class TokenizerFixtureTest {

  @Test
  void encodesDecodesAndFindsSpecialTokens() {
    JsonNode exp = Fixtures.expected("tokenization-tiny-bpe.json");
    try (TextTokenizer tok = TextTokenizer.load(Fixtures.model("tiny-llama"))) {
      assertThat(tok.bosId()).hasValue(498);
      assertThat(tok.eosId()).hasValue(499);
      assertThat(tok.addsBos()).isTrue();
      int n = 0;
      for (JsonNode it : exp.path("items")) {
        String text = it.path("text").asText();
        int[] ids = tok.encode(text);
        assertThat(ids).as(text).containsExactly(Fixtures.ints(it.path("ids")));
        assertThat(tok.encodeWithSpecialTokens(text))
            .as(text)
            .containsExactly(Fixtures.ints(it.path("ids_with_special")));
        assertThat(tok.decode(ids, false)).as(text).isEqualTo(it.path("decoded").asText());
        assertThat(tok.decode(Fixtures.ints(it.path("ids_with_special")), true))
            .isEqualTo(it.path("decoded_skip_special").asText());
        n++;
      }
      assertThat(n).isEqualTo(50);
    }
  }

  @Test
  void longTextIsNotTruncatedAt512Tokens() {
    try (TextTokenizer tok = TextTokenizer.load(Fixtures.model("tiny-qwen2"))) {
      String text = "The quick brown fox jumps over the lazy dog. ".repeat(200);
      int[] ids = tok.encode(text);
      assertThat(ids.length).isGreaterThan(2000);
      assertThat(tok.decode(ids, false)).isEqualTo(text);
    }
  }
}
