package evalh.reporting.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class McNemarTestTest {

  @Test
  void exactBinomialOnSmallDiscordantCounts() {
    // b=3, c=9, n=b+c=12 < 25 -> exact. Under H0 b ~ Bin(12, 1/2):
    // P(X <= 3) = (C(12,0)+C(12,1)+C(12,2)+C(12,3)) / 2^12 = (1+12+66+220)/4096 = 299/4096,
    // two-sided p = 2 * 299/4096 = 598/4096 = 0.14599609375 (exactly representable).
    McNemarTest.Result r = McNemarTest.test(3, 9);
    assertThat(r.exact()).isTrue();
    assertThat(r.pValue()).isCloseTo(598.0 / 4096.0, within(1e-12));
    assertThat(r.pValue()).isCloseTo(0.14599609375, within(1e-12));
    // symmetric in b and c
    assertThat(McNemarTest.test(9, 3).pValue()).isCloseTo(0.14599609375, within(1e-12));
  }

  @Test
  void exactBinomialTextbookTable() {
    // b=6, c=16 (n=22): sum_{k=0..6} C(22,k) = 1+22+231+1540+7315+26334+74613 = 110056,
    // p = 2 * 110056 / 2^22 = 220112 / 4194304 = 0.052478790283203125.
    assertThat(McNemarTest.test(6, 16).pValue()).isCloseTo(220112.0 / 4194304.0, within(1e-12));
  }

  @Test
  void chiSquareWithContinuityCorrectionOnLargeCounts() {
    // b=40, c=62, n=102 >= 25 -> chi-square with continuity correction:
    // chi2 = (|40-62| - 1)^2 / 102 = 441/102 = 4.323529411764706;
    // p = P(chi2_1 > 4.3235) = erfc(sqrt(4.3235/2)) = 0.03758888126107441 (python math.erfc).
    McNemarTest.Result r = McNemarTest.test(40, 62);
    assertThat(r.exact()).isFalse();
    assertThat(r.chiSquare()).isCloseTo(441.0 / 102.0, within(1e-12));
    assertThat(r.pValue()).isCloseTo(0.03758888126107441, within(1e-9));
  }

  @Test
  void switchesToChiSquareAtTwentyFiveDiscordantPairs() {
    // b=12, c=12 (n=24): exact, p = min(1, 2*P(X<=12)) = 1.
    assertThat(McNemarTest.test(12, 12).exact()).isTrue();
    assertThat(McNemarTest.test(12, 12).pValue()).isEqualTo(1.0);
    // b=10, c=15 (n=25): chi2 = (5-1)^2/25 = 0.64, p = erfc(sqrt(0.32)) = 0.4237107971667934.
    McNemarTest.Result r = McNemarTest.test(10, 15);
    assertThat(r.exact()).isFalse();
    assertThat(r.pValue()).isCloseTo(0.4237107971667934, within(1e-9));
  }

  @Test
  void noDiscordantPairsMeansNoEvidence() {
    assertThat(McNemarTest.test(0, 0).pValue()).isEqualTo(1.0);
    // b=20, c=0: p = 2 * 0.5^20 = 1.9073486328125e-06
    assertThat(McNemarTest.test(20, 0).pValue()).isCloseTo(1.9073486328125e-06, within(1e-15));
  }

  @Test
  void rejectsNegativeCounts() {
    assertThatThrownBy(() -> McNemarTest.test(-1, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("b=-1");
  }
}
