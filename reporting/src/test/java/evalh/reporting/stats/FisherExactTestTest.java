package evalh.reporting.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FisherExactTestTest {
  @Test
  void pValuesEqualAnExactHypergeometricSum() {
    // oracle: python, sum of comb(K,x)*comb(N-K,n1-x)/comb(N,n1) over tables with P <= P(observed)
    assertThat(FisherExactTest.test(3, 3, 0, 3, 0.05).pValue()).isCloseTo(0.1, within(1e-12));
    assertThat(FisherExactTest.test(8, 10, 1, 6, 0.05).pValue())
        .isCloseTo(0.03496503496503496, within(1e-12));
    assertThat(FisherExactTest.test(7, 12, 2, 9, 0.05).pValue())
        .isCloseTo(0.1842343415098833, within(1e-12));
    assertThat(FisherExactTest.test(300, 400, 200, 400, 0.05).pValue())
        .isCloseTo(3.321692888296347e-13, within(1e-15));
    assertThat(FisherExactTest.test(2, 3, 2, 3, 0.05).pValue()).isEqualTo(1.0);
  }

  @Test
  void newcombeIntervalOfTheDifference() {
    // Newcombe (1998) Table II, example (a): 56/70 - 48/80 = 0.2, method 10: [0.0524, 0.3339]
    FisherExactTest.Result r = FisherExactTest.test(48, 80, 56, 70, 0.05);
    assertThat(r.ciLow()).isCloseTo(0.0524, within(1e-4));
    assertThat(r.ciHigh()).isCloseTo(0.3339, within(1e-4));
  }
}
