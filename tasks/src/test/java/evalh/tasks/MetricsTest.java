package evalh.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import evalh.tasks.metrics.ChoiceMetrics;
import evalh.tasks.metrics.Stats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** lm-eval's metric and aggregation formulas, checked against hand-computed values. */
class MetricsTest {
  @Test
  void meanStderrIsSampleStdOverSqrtN() {
    // x = [1,0,0,1,1]: mean 0.6, sample var = (3*0.16 + 2*0.36)/4 = 0.3, se = sqrt(0.3/5)
    double[] x = {1, 0, 0, 1, 1};
    assertThat(Stats.mean(x)).isEqualTo(0.6, within(1e-15));
    assertThat(Stats.meanStderr(x)).isEqualTo(Math.sqrt(0.06), within(1e-15));
    assertThat(Stats.meanStderr(new double[] {1})).isNaN();
  }

  @Test
  void perplexityAggregations() {
    double[] ll = {-10, -30};
    double[] bytes = {5, 15};
    assertThat(Stats.weightedPerplexity(ll, bytes)).isEqualTo(Math.exp(2.0), within(1e-12));
    assertThat(Stats.bitsPerByte(ll, bytes)).isEqualTo(2.0 / Math.log(2), within(1e-12));
  }

  @Test
  void groupAggregationIsSizeWeightedWithPooledStderr() {
    double[] acc = {0.5, 0.8};
    double[] n = {10, 30};
    assertThat(Stats.aggregateSubtasks(acc, n, true)).isEqualTo(0.725, within(1e-15));
    assertThat(Stats.aggregateSubtasks(acc, n, false)).isEqualTo(0.65, within(1e-15));
    // pooled: sqrt(((9*0.1^2*10) + (29*0.05^2*30)) / (40-2) / 40)
    double expected = Math.sqrt((9 * 0.01 * 10 + 29 * 0.0025 * 30) / 38.0 / 40.0);
    assertThat(Stats.pooledSampleStderr(new double[] {0.1, 0.05}, n))
        .isEqualTo(expected, within(1e-15));
  }

  @Test
  void pooledStderrOfEqualBinaryGroupsMatchesConcatenation() {
    // two subtasks with identical data: pooled stderr ~ stderr of the concatenation
    double[] a = {1, 0, 1, 1, 0, 0, 1, 0};
    double[] both = new double[16];
    System.arraycopy(a, 0, both, 0, 8);
    System.arraycopy(a, 0, both, 8, 8);
    double se = Stats.meanStderr(a);
    double pooled = Stats.pooledSampleStderr(new double[] {se, se}, new double[] {8, 8});
    assertThat(pooled).isCloseTo(Stats.meanStderr(both), within(0.01));
  }

  @Test
  void accNormDividesByCharactersAndAccBytesByUtf8Bytes() {
    double[] lls = {-4.0, -5.0, -9.0};
    List<String> choices = List.of("ab", "abcd", "ééé"); // 2, 4, 3 chars; 2, 4, 6 bytes
    // acc: argmax ll = 0; per char: -2, -1.25, -3 -> 1; per byte: -2, -1.25, -1.5 -> 1
    assertThat(ChoiceMetrics.acc(lls, 0)).isEqualTo(1.0);
    assertThat(ChoiceMetrics.accNorm(lls, choices, 1)).isEqualTo(1.0);
    assertThat(ChoiceMetrics.accBytes(lls, choices, 1)).isEqualTo(1.0);
    double[] lls2 = {-4.0, -5.0, -3.3};
    // per char: -2, -1.25, -1.1 -> 2; per byte: -2, -1.25, -0.55 -> 2
    assertThat(ChoiceMetrics.accNorm(lls2, choices, 2)).isEqualTo(1.0);
    double[] lls3 = {-4.0, -5.0, -4.2};
    // per char: -2, -1.25, -1.4 -> 1; per byte: -2, -1.25, -0.7 -> 2 (bytes and chars differ)
    assertThat(ChoiceMetrics.accNorm(lls3, choices, 1)).isEqualTo(1.0);
    assertThat(ChoiceMetrics.accBytes(lls3, choices, 2)).isEqualTo(1.0);
  }

  @Test
  void argmaxTiesGoToTheFirst() {
    assertThat(ChoiceMetrics.argmax(new double[] {-1, -0.5, -0.5})).isEqualTo(1);
  }
}
