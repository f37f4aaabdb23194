package evalh.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import evalh.engine.checkpoint.RopeScaling;
import org.junit.jupiter.api.Test;

class RopeScalingTest {

  @Test
  void llama3ScalingOfTheFixtureConfig() {
    // fixtures README: theta 500000, head_dim 16, factor 8, low 1, high 4, original 64 gives
    // [1, 0.0794030092, inv_freq[2:]/8]: one high, one smoothed, six low frequencies.
    RopeScaling s = new RopeScaling("llama3", 8, 1, 4, 64);
    double[] scaled = s.inverseFrequencies(16, 500000);
    double[] plain = RopeScaling.NONE.inverseFrequencies(16, 500000);
    assertThat(scaled[0]).isEqualTo(1.0);
    assertThat(scaled[1]).isCloseTo(0.0794030092, within(1e-9));
    for (int i = 2; i < 8; i++) {
      assertThat(scaled[i]).isCloseTo(plain[i] / 8, within(1e-15));
    }
  }

  @Test
  void linearScalingDividesEveryFrequency() {
    double[] plain = RopeScaling.NONE.inverseFrequencies(8, 10000);
    double[] lin = new RopeScaling("linear", 4, 0, 0, 0).inverseFrequencies(8, 10000);
    for (int i = 0; i < 4; i++) {
      assertThat(lin[i]).isEqualTo(plain[i] / 4);
    }
    assertThat(plain[1]).isCloseTo(Math.pow(10000, -0.25), within(1e-15));
  }
}
