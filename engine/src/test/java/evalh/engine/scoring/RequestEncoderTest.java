package evalh.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.core.text.PythonText;
import org.junit.jupiter.api.Test;

class RequestEncoderTest {

  @Test
  void rstripFollowsPythonIsspace() {
    assertThat(PythonText.rstripIndex("Answer: \n\t ")).isEqualTo(7);
    assertThat(PythonText.rstripIndex("x\u00a0")).isEqualTo(1); // NBSP is space in Python
    assertThat(PythonText.rstripIndex("x\u3000\u2009")).isEqualTo(1);
    assertThat(PythonText.rstripIndex("x\u200b")).isEqualTo(2); // ZWSP is not
    assertThat(PythonText.rstripIndex("   ")).isZero();
    // Python's own table: ''.join(c for c in map(chr, range(0x110000)) if c.isspace())
    int[] python = {
      0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000,
      0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028,
      0x2029, 0x202F, 0x205F, 0x3000
    };
    java.util.Set<Integer> expected = new java.util.HashSet<>();
    for (int cp : python) {
      expected.add(cp);
    }
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      assertThat(PythonText.isSpace(cp)).as("U+%04X", cp).isEqualTo(expected.contains(cp));
    }
  }

  @Test
  void leftTruncationKeepsTheLastMaxLengthInputs() {
    int[] ctx = {1, 2, 3, 4, 5, 6};
    int[] cont = {7, 8};
    TokenRequest r = TokenRequest.of(ctx, cont, 4);
    // full = 1..8, input = full[-5:][:-1] = [4,5,6,7]; shared = input minus cont[:-1]
    assertThat(r.shared()).containsExactly(4, 5, 6);
    assertThat(r.truncated()).isTrue();
    TokenRequest fits = TokenRequest.of(ctx, cont, 7);
    assertThat(fits.shared()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(fits.truncated()).isFalse();
    assertThatThrownBy(() -> TokenRequest.of(ctx, new int[] {1, 2, 3, 4, 5}, 4))
        .hasMessageContaining("does not fit max_length 4");
  }
}
