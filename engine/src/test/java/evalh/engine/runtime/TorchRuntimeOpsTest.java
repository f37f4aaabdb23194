package evalh.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import evalh.engine.checkpoint.DType;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TorchRuntime's LayerNorm, GELU and partial RoPE (the ops GPT-NeoX added to the seam) in float32,
 * against float64 loops written from HF's definitions.
 */
class TorchRuntimeOpsTest {
  private static TorchRuntime rt;
  private final SplittableRandom rnd = new SplittableRandom(11);

  @BeforeAll
  static void open() {
    rt = BundledTorch.cpuFloat32(DType.F32);
  }

  @AfterAll
  static void close() {
    rt.close();
  }

  private float[] randoms(int n, double offset, double scale) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (offset + scale * (2 * rnd.nextDouble() - 1));
    }
    return out;
  }

  @Test
  void layerNormSubtractsTheMeanUsesBiasedVarianceAndAddsTheBias() {
    int rows = 6;
    int h = 24;
    float[] x = randoms(rows * h, 3.0, 2.0); // a large mean: RMSNorm would give other values
    float[] w = randoms(h, 1.0, 0.1);
    float[] b = randoms(h, 0.0, 0.1);
    double eps = 1e-5;
    try (TensorRuntime.Scope s = rt.scope()) {
      TorchRuntime.Tensor xs = rt.constant(x, 2, 3, h);
      float[] got = rt.toFloats(rt.layerNorm(xs, rt.constant(w, h), rt.constant(b, h), eps));
      float[] noBias = rt.toFloats(rt.layerNorm(xs, rt.constant(w, h), null, eps));
      for (int r = 0; r < rows; r++) {
        double mean = 0;
        for (int i = 0; i < h; i++) {
          mean += x[r * h + i];
        }
        mean /= h;
        double var = 0;
        for (int i = 0; i < h; i++) {
          var += (x[r * h + i] - mean) * (x[r * h + i] - mean);
        }
        var /= h; // biased, as torch.nn.LayerNorm
        for (int i = 0; i < h; i++) {
          double n = (x[r * h + i] - mean) / Math.sqrt(var + eps) * w[i];
          assertThat((double) got[r * h + i]).isCloseTo(n + b[i], within(2e-6));
          assertThat((double) noBias[r * h + i]).isCloseTo(n, within(2e-6));
        }
      }
    }
  }

  @Test
  void geluIsTheExactErfFormNotTheTanhApproximation() {
    int n = 241;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (-6 + 0.05 * i);
    }
    try (TensorRuntime.Scope s = rt.scope()) {
      float[] got = rt.toFloats(rt.gelu(rt.constant(x, 1, n)));
      double maxTanhGap = 0;
      for (int i = 0; i < n; i++) {
        double v = x[i];
        double exact = 0.5 * v * (1 + Erf.erf(v / Math.sqrt(2)));
        double tanh =
            0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
        assertThat((double) got[i]).as("gelu(%s)", v).isCloseTo(exact, within(1e-6));
        maxTanhGap = Math.max(maxTanhGap, Math.abs(exact - tanh));
      }
      assertThat(maxTanhGap).as("the two forms are distinguishable here").isGreaterThan(1e-4);
    }
  }

  @Test
  void ropeRotatesTheFirstRDimsAsRotateHalfAndPassesTheRestThrough() {
    int heads = 2;
    int t = 3;
    int d = 8;
    float[] x = randoms(heads * t * d, 0, 1);
    for (int r : new int[] {4, 8}) {
      double[] invFreq = new double[r / 2];
      for (int j = 0; j < r / 2; j++) {
        invFreq[j] = 1 / Math.pow(10000, 2.0 * j / r);
      }
      float[] cos = new float[t * r];
      float[] sin = new float[t * r];
      for (int p = 0; p < t; p++) {
        for (int j = 0; j < r / 2; j++) {
          double a = (p + 5) * invFreq[j];
          cos[p * r + j] = cos[p * r + j + r / 2] = (float) Math.cos(a);
          sin[p * r + j] = sin[p * r + j + r / 2] = (float) Math.sin(a);
        }
      }
      try (TensorRuntime.Scope s = rt.scope()) {
        float[] got =
            rt.toFloats(
                rt.rope(
                    rt.constant(x, 1, heads, t, d),
                    rt.constant(cos, 1, 1, t, r),
                    rt.constant(sin, 1, 1, t, r)));
        for (int hd = 0; hd < heads; hd++) {
          for (int p = 0; p < t; p++) {
            int base = (hd * t + p) * d;
            for (int j = 0; j < r / 2; j++) {
              // the pair (x_j, x_{j+R/2}) turned by the angle (pos * inv_freq_j)
              double a = (p + 5) * invFreq[j];
              double x1 = x[base + j];
              double x2 = x[base + j + r / 2];
              assertThat((double) got[base + j])
                  .isCloseTo(x1 * Math.cos(a) - x2 * Math.sin(a), within(1e-6));
              assertThat((double) got[base + j + r / 2])
                  .isCloseTo(x2 * Math.cos(a) + x1 * Math.sin(a), within(1e-6));
            }
            for (int j = r; j < d; j++) {
              assertThat(got[base + j])
                  .as("R=%d dim %d passes through", r, j)
                  .isEqualTo(x[base + j]);
            }
          }
        }
      }
    }
  }
}
