package evalh.reporting.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UnpairedZTestTest {

  @Test
  void knownValues() {
    // a = 0.50 ± 0.02, b = 0.45 ± 0.02: se = sqrt(0.0008) = 0.0282843, z = -0.05/se = -1.76776695,
    // p = 2 Φ(-1.76777) = 0.07709987174354183 (python statistics.NormalDist),
    // 95% CI = -0.05 ± 1.959963984540054 * 0.0282843 = [-0.105436153, 0.005436153].
    UnpairedZTest.Result r = UnpairedZTest.test(0.50, 0.02, 0.45, 0.02, 0.05);
    assertThat(r.z()).isCloseTo(-1.7677669529663689, within(1e-12));
    assertThat(r.pValue()).isCloseTo(0.07709987174354183, within(1e-9));
    assertThat(r.ciLow()).isCloseTo(-0.10543615297398712, within(1e-9));
    assertThat(r.ciHigh()).isCloseTo(0.005436152973987113, within(1e-9));
  }

  @Test
  void criticalValue() {
    assertThat(UnpairedZTest.criticalValue(0.05)).isCloseTo(1.959963984540054, within(1e-9));
    assertThat(UnpairedZTest.criticalValue(0.01)).isCloseTo(2.5758293035489004, within(1e-9));
  }
}
