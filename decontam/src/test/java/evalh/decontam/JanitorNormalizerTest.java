package evalh.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.text.JanitorNormalizer;
import evalh.decontam.text.TokenBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values worked out from janitor.py: str.translate(table) then str.split(). */
class JanitorNormalizerTest {
  private final JanitorNormalizer norm = new JanitorNormalizer();

  @Test
  void matchesJanitorOnItsOwnTestString() {
    String source =
        "   ,, I'm a very !dirty,, ,,  dirty boy. Clean me daddy. \n\nhe he he hehe heh.  lastword  ";
    assertThat(norm.tokens(source))
        .containsExactly(
            "im",
            "a",
            "very",
            "dirty",
            "dirty",
            "boy",
            "clean",
            "me",
            "daddy",
            "he",
            "he",
            "he",
            "hehe",
            "heh",
            "lastword");
  }

  @Test
  void onlyAsciiIsLowerCasedAndOnlyAsciiPunctuationDeleted() {
    assertThat(norm.tokens("ÜBER Café «quoted» x—y $5+3=8 don't"))
        .containsExactly("Über", "café", "«quoted»", "x—y", "538", "dont");
  }

  @Test
  void splitsOnPythonWhitespaceOnly() {
    // NBSP, narrow NBSP, ideographic space and \x1c are whitespace for str.split(); ZWSP is not
    assertThat(norm.tokens("a\u00a0b\u202fc\u3000d\u001ce\u200bf\tg\u000bh"))
        .containsExactly("a", "b", "c", "d", "e\u200bf", "g", "h");
  }

  @Test
  void punctuationOnlyRunsVanishAndOffsetsPointIntoTheOriginal() {
    String s = "Hello -- (World)!";
    TokenBuffer b = new TokenBuffer(true);
    norm.tokenize(s, b);
    assertThat(b.texts()).isEqualTo(List.of("hello", "world"));
    assertThat(s.substring(b.start(1), b.end(1))).isEqualTo("(World)!");
  }
}
