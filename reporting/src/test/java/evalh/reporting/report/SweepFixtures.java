package evalh.reporting.report;

import static evalh.reporting.RunFixture.correct;

import evalh.reporting.RunFixture;
import java.nio.file.Path;

/**
 * Two sweep runs with long names: mix {@code anneal-30pct-high-quality-50B} right on 40, 50, 55, 60
 * of 100 anatomy items at steps 10, 100, 1000, 10000 (4 decades: log x) and mix {@code
 * anneal-40pct-high-quality-100B} on 45, 52, 58, 66; bits per byte from log-likelihoods scaled by
 * 1.0, 0.9, 0.8, 0.7 (and 0.95, 0.85, 0.75, 0.65). 2,048 tokens per step.
 */
final class SweepFixtures {
  static final String A = "anneal-30pct-high-quality-50B";
  static final String B = "anneal-40pct-high-quality-100B";
  static final long[] STEPS = {10, 100, 1000, 10000};
  static final int[] RIGHT_A = {40, 50, 55, 60};
  static final int[] RIGHT_B = {45, 52, 58, 66};
  static final double[] SCALE_A = {1.0, 0.9, 0.8, 0.7};
  static final double[] SCALE_B = {0.95, 0.85, 0.75, 0.65};
  static final double[] LL = {-1200, -800, -1500};
  static final double[] BYTES = {1000, 700, 1200};
  static final double[] WORDS = {200, 140, 240};

  private SweepFixtures() {}

  /** The sweep output; {@code stepsOfB} checkpoints of B are finished. */
  static Path write(Path out, int stepsOfB) {
    for (int i = 0; i < STEPS.length; i++) {
      point(out, A, i, RIGHT_A[i], SCALE_A[i]);
      if (i < stepsOfB) {
        point(out, B, i, RIGHT_B[i], SCALE_B[i]);
      }
    }
    return out;
  }

  static void point(Path out, String run, int i, int right, double scale) {
    double[] ll = LL.clone();
    for (int k = 0; k < ll.length; k++) {
      ll[k] *= scale;
    }
    RunFixture.of("/ckpts/" + run + "/step-" + STEPS[i])
        .mc("mmlu-anatomy", correct(100, right))
        .bpb("paloma-c4_en", ll, BYTES, WORDS)
        .sweep(run, STEPS[i], STEPS[i] * 2048)
        .samples(false)
        .writeTo(out.resolve(run).resolve(Long.toString(STEPS[i])));
  }

  /** bits per byte of the fixture's documents with log-likelihoods scaled by {@code scale}. */
  static double bpb(double scale) {
    double ll = 0;
    double bytes = 0;
    for (int k = 0; k < LL.length; k++) {
      ll += LL[k] * scale;
      bytes += BYTES[k];
    }
    return -(ll / bytes) / Math.log(2);
  }
}
