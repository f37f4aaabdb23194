package evalh.harness.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestEncoderTest {

  @Test
  void rstripFollowsPythonIsspace() {
    assertThat(RequestEncoder.rstripIndex("Answer: \n\t ")).isEqualTo(7);
    assertThat(RequestEncoder.rstripIndex("x\u00a0")).isEqualTo(1); // NBSP is space in Python
    assertThat(RequestEncoder.rstripIndex("x\u3000\u2009")).isEqualTo(1);
    assertThat(RequestEncoder.rstripIndex("x\u200b")).isEqualTo(2); // ZWSP is not
    assertThat(RequestEncoder.rstripIndex("   ")).isZero();
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
