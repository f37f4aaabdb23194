package evalh.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.text.JanitorNormalizer;
import evalh.decontam.text.UnicodeNormalizer;
import org.junit.jupiter.api.Test;

class UnicodeNormalizerTest {
  private final UnicodeNormalizer norm = new UnicodeNormalizer();

  @Test
  void foldsCaseAppliesNfkcAndDeletesUnicodePunctuation() {
    assertThat(norm.tokens("STRASSE Straße ÜBER «Quoted» ﬁne x—y Ｆｕｌｌ ½ 42"))
        .containsExactly("strasse", "strasse", "über", "quoted", "fine", "xy", "full", "12", "42");
  }

  @Test
  void splitsOnUnicodeWhitespace() {
    assertThat(norm.tokens("a\u00a0b\u2003c\u3000d")).containsExactly("a", "b", "c", "d");
  }

  @Test
  void equalsJanitorOnAscii() {
    String s = "The QUICK (brown) fox's $tail, 3+4=7; e-mail: a@b.c \"quoted\" [x]_{y}";
    assertThat(norm.tokens(s)).isEqualTo(new JanitorNormalizer().tokens(s));
  }
}
