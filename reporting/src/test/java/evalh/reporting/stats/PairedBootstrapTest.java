package evalh.reporting.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
  private static final int SIMULATIONS = 200;
  private static final int RESAMPLES = 1000;

  /**
   * Paired 0/1 outcomes with P(A right) = 0.60 and P(B right) = 0.65 (true difference +0.05),
   * positively correlated as two checkpoints are: 70% of items share one uniform draw.
   */
  private static PairedDesign accuracyData(Random rnd, int n) {
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      double u = rnd.nextDouble();
      double v = rnd.nextDouble() < 0.7 ? u : rnd.nextDouble();
      a[i] = u < 0.60 ? 1 : 0;
      b[i] = v < 0.65 ? 1 : 0;
    }
    return PairedDesign.pooled(List.of(PairedDesign.Stratum.ofValues(a, b)), Aggregation.MEAN);
  }

  @Test
  void accuracyIntervalCoversTheKnownDifference() {
    Random rnd = new Random(42);
    int covered = 0;
    for (int s = 0; s < SIMULATIONS; s++) {
      PairedBootstrap.Result r =
          PairedBootstrap.compare(accuracyData(rnd, 300), RESAMPLES, 0.05, s);
      if (r.ciLow() <= 0.05 && 0.05 <= r.ciHigh()) {
        covered++;
      }
    }
    // nominal 95%; with 200 simulations the standard error of the coverage is ~1.5 points
    double coverage = covered / (double) SIMULATIONS;
    System.out.println("paired bootstrap 95% CI coverage, accuracy (n=300, Δ=+0.05): " + coverage);
    assertThat(coverage).isBetween(0.90, 0.985);
  }

  /**
   * Documents with bytes in [200, 2000] and per-document loglikelihood -bytes·ln2·r·(1 + noise)
   * with mean-zero noise independent of length, so the corpus bits per byte converges to r: r_A =
   * 1.00, r_B = 1.03 (true difference +0.03 bits per byte).
   */
  private static PairedDesign bpbData(Random rnd, int n, double rB) {
    double[] llA = new double[n];
    double[] llB = new double[n];
    double[] bytes = new double[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = 200 + rnd.nextInt(1801);
      double e = 0.3 * rnd.nextGaussian();
      llA[i] = -bytes[i] * Math.log(2) * 1.00 * (1 + e);
      llB[i] = -bytes[i] * Math.log(2) * rB * (1 + e + 0.05 * rnd.nextGaussian());
    }
    return PairedDesign.pooled(
        List.of(new PairedDesign.Stratum(llA, bytes, llB, bytes)), Aggregation.BITS_PER_BYTE);
  }

  @Test
  void bitsPerByteIntervalCoversTheKnownDifference() {
    Random rnd = new Random(7);
    int covered = 0;
    for (int s = 0; s < SIMULATIONS; s++) {
      PairedBootstrap.Result r =
          PairedBootstrap.compare(bpbData(rnd, 200, 1.03), RESAMPLES, 0.05, 1000 + s);
      if (r.ciLow() <= 0.03 && 0.03 <= r.ciHigh()) {
        covered++;
      }
    }
    double coverage = covered / (double) SIMULATIONS;
    System.out.println(
        "paired bootstrap 95% CI coverage, bits per byte (200 docs, Δ=+0.03): " + coverage);
    assertThat(coverage).isBetween(0.90, 0.985);
  }

  @Test
  void bitsPerByteFalsePositiveRateIsNearAlpha() {
    Random rnd = new Random(11);
    int rejected = 0;
    for (int s = 0; s < SIMULATIONS; s++) {
      PairedBootstrap.Result r =
          PairedBootstrap.compare(bpbData(rnd, 200, 1.00), RESAMPLES, 0.05, 5000 + s);
      if (r.pValue() < 0.05) {
        rejected++;
      }
    }
    double rate = rejected / (double) SIMULATIONS;
    System.out.println(
        "paired bootstrap false-positive rate at alpha=0.05, bits per byte: " + rate);
    assertThat(rate).isLessThanOrEqualTo(0.10);
  }

  @Test
  void observedValuesFollowLmEvalFormulas() {
    // ll = [-100, -300], bytes = [50, 150]: bpb = (400/200)/ln 2 = 2/ln 2 = 2.8853900817779268
    PairedDesign d =
        PairedDesign.pooled(
            List.of(
                new PairedDesign.Stratum(
                    new double[] {-100, -300},
                    new double[] {50, 150},
                    new double[] {-100, -300},
                    new double[] {50, 150})),
            Aggregation.BITS_PER_BYTE);
    assertThat(d.observed(false)).isCloseTo(2.0 / Math.log(2), within(1e-12));
    PairedDesign p =
        PairedDesign.pooled(
            List.of(
                new PairedDesign.Stratum(
                    new double[] {-100, -300},
                    new double[] {50, 150},
                    new double[] {-100, -300},
                    new double[] {50, 150})),
            Aggregation.PERPLEXITY);
    assertThat(p.observed(false)).isCloseTo(Math.exp(2.0), within(1e-9));
  }

  @Test
  void macroIsTheUnweightedMeanOfChildren() {
    // stratum 0: 1 of 2 right (0.5); stratum 1: 3 of 4 right (0.75).
    // micro = 4/6 = 0.6667, macro = (0.5 + 0.75)/2 = 0.625
    PairedDesign.Stratum s0 =
        PairedDesign.Stratum.ofValues(new double[] {1, 0}, new double[] {1, 0});
    PairedDesign.Stratum s1 =
        PairedDesign.Stratum.ofValues(new double[] {1, 1, 1, 0}, new double[] {1, 1, 1, 0});
    PairedDesign micro = PairedDesign.pooled(List.of(s0, s1), Aggregation.MEAN);
    PairedDesign macro =
        new PairedDesign(List.of(s0, s1), List.of(new int[] {0}, new int[] {1}), Aggregation.MEAN);
    assertThat(micro.observed(false)).isCloseTo(4.0 / 6.0, within(1e-12));
    assertThat(macro.observed(false)).isCloseTo(0.625, within(1e-12));
  }

  @Test
  void identicalRunsGiveZeroDifferenceAndPOne() {
    Random rnd = new Random(3);
    double[] a = new double[100];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextInt(2);
    }
    PairedDesign d =
        PairedDesign.pooled(List.of(PairedDesign.Stratum.ofValues(a, a)), Aggregation.MEAN);
    PairedBootstrap.Result r = PairedBootstrap.compare(d, 2000, 0.05, 1);
    assertThat(r.delta()).isZero();
    assertThat(r.ciLow()).isZero();
    assertThat(r.ciHigh()).isZero();
    assertThat(r.pValue()).isEqualTo(1.0);
  }

  @Test
  void sameSeedSameNumbers() {
    PairedDesign d = accuracyData(new Random(5), 200);
    PairedBootstrap.Result r1 = PairedBootstrap.compare(d, 500, 0.05, 99);
    PairedBootstrap.Result r2 = PairedBootstrap.compare(d, 500, 0.05, 99);
    PairedBootstrap.Result r3 = PairedBootstrap.compare(d, 500, 0.05, 100);
    assertThat(r2).isEqualTo(r1);
    assertThat(r3.ciLow() != r1.ciLow() || r3.ciHigh() != r1.ciHigh()).isTrue();
  }
}
