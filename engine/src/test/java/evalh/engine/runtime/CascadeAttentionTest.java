package evalh.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.engine.checkpoint.DType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TorchRuntime's attention over a shared prefix (cascade: the rows' queries over the prefix keys
 * and over their own keys, merged by log-sum-exp) and its grouped-query attention, against a
 * float64 softmax over the whole mask written out here.
 */
class CascadeAttentionTest {
  private static TorchRuntime rt;

  @BeforeAll
  static void open() {
    rt = BundledTorch.cpuFloat32(DType.F32);
  }

  @AfterAll
  static void close() {
    rt.close();
  }

  /**
   * float64 attention: q [B, Nq, T, D], keys [B][Nkv][S][D] (prefix first), mask [B, T, S]; query
   * head h reads KV head h / (Nq / Nkv). Returns [B, T, Nq*D].
   */
  static double[] oracle(
      float[] q, float[][][][] k, float[][][][] v, boolean[] mask, int b, int nq, int t, int d) {
    int nkv = k[0].length;
    int s = k[0][0].length;
    int g = nq / nkv;
    double[] out = new double[b * t * nq * d];
    for (int r = 0; r < b; r++) {
      for (int h = 0; h < nq; h++) {
        for (int i = 0; i < t; i++) {
          double[] score = new double[s];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < s; j++) {
            if (!mask[(r * t + i) * s + j]) {
              score[j] = Double.NEGATIVE_INFINITY;
              continue;
            }
            double dot = 0;
            for (int e = 0; e < d; e++) {
              dot += (double) q[((r * nq + h) * t + i) * d + e] * k[r][h / g][j][e];
            }
            score[j] = dot / Math.sqrt(d);
            max = Math.max(max, score[j]);
          }
          double z = 0;
          for (int j = 0; j < s; j++) {
            z += Math.exp(score[j] - max);
          }
          for (int e = 0; e < d; e++) {
            double acc = 0;
            for (int j = 0; j < s; j++) {
              acc += Math.exp(score[j] - max) / z * v[r][h / g][j][e];
            }
            out[((r * t + i) * nq + h) * d + e] = acc;
          }
        }
      }
    }
    return out;
  }

  private static float[] random(SplittableRandom rnd, int n, double scale) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rnd.nextGaussian() * scale);
    }
    return x;
  }

  /**
   * A [B, T, P+T] mask like the engine's packed rows: the prefix open to every real query; row 0
   * plain causal, row 1 a shared context with two branches, row 2 padded after {@code t - 2}.
   */
  static boolean[] mask(int b, int t, int p, boolean branches) {
    int s = p + t;
    boolean[] m = new boolean[b * t * s];
    for (int r = 0; r < b; r++) {
      int real = r == 2 ? t - 2 : t;
      for (int i = 0; i < t; i++) {
        int at = (r * t + i) * s;
        if (i >= real) {
          m[at + p + i] = true; // padding sees itself only
          continue;
        }
        for (int j = 0; j < p; j++) {
          m[at + j] = true;
        }
        int split = t / 2;
        for (int j = 0; j <= i; j++) {
          boolean sameBranch =
              !branches || r != 1 || j < split || i < split || ((j - split) % 2 == (i - split) % 2);
          m[at + p + j] = sameBranch;
        }
      }
    }
    return m;
  }

  private static double maxError(
      boolean branches, int nq, int nkv, boolean withPrefix, double[] worstOut) {
    int b = 3;
    int t = 7;
    int p = withPrefix ? 5 : 0;
    int d = 8;
    SplittableRandom rnd = new SplittableRandom(11 + nq + nkv + (branches ? 1 : 0));
    float[] q = random(rnd, b * nq * t * d, 1.5);
    float[] pk = random(rnd, nkv * p * d, 1.5);
    float[] pv = random(rnd, nkv * p * d, 1);
    float[] k = random(rnd, b * nkv * t * d, 1.5);
    float[] v = random(rnd, b * nkv * t * d, 1);
    boolean[] m = mask(b, t, p, branches);
    // keys per row with the prefix first, for the oracle
    float[][][][] kk = new float[b][nkv][p + t][d];
    float[][][][] vv = new float[b][nkv][p + t][d];
    for (int r = 0; r < b; r++) {
      for (int h = 0; h < nkv; h++) {
        for (int j = 0; j < p + t; j++) {
          for (int e = 0; e < d; e++) {
            kk[r][h][j][e] =
                j < p ? pk[(h * p + j) * d + e] : k[((r * nkv + h) * t + j - p) * d + e];
            vv[r][h][j][e] =
                j < p ? pv[(h * p + j) * d + e] : v[((r * nkv + h) * t + j - p) * d + e];
          }
        }
      }
    }
    double[] want = oracle(q, kk, vv, m, b, nq, t, d);
    float[] got;
    try (TensorRuntime.Scope s = rt.scope()) {
      TorchRuntime.Tensor mt = rt.attentionMask(m, b, t, p + t);
      TorchRuntime.Tensor qt = rt.constant(q, b, nq, t, d);
      TorchRuntime.Tensor kt = rt.constant(k, b, nkv, t, d);
      TorchRuntime.Tensor vt = rt.constant(v, b, nkv, t, d);
      if (withPrefix) {
        assertThat(mt.ownKeys).as("the prefix part is open: cascade").isNotNull();
        got =
            rt.read(
                rt.attention(
                    qt, rt.constant(pk, 1, nkv, p, d), rt.constant(pv, 1, nkv, p, d), kt, vt, mt));
      } else {
        got = rt.read(rt.attention(qt, kt, vt, mt));
      }
    }
    double worst = 0;
    for (int r = 0; r < b; r++) {
      int real = r == 2 ? t - 2 : t;
      for (int i = 0; i < real; i++) {
        for (int c = 0; c < nq * d; c++) {
          int at = (r * t + i) * nq * d + c;
          worst = Math.max(worst, Math.abs(got[at] - want[at]));
        }
      }
    }
    worstOut[0] = Math.max(worstOut[0], worst);
    return worst;
  }

  @Test
  void cascadeOverASharedPrefixEqualsOneSoftmaxOverAllKeys() {
    double[] worst = {0};
    for (boolean branches : new boolean[] {false, true}) {
      for (int[] heads : new int[][] {{4, 4}, {4, 2}, {6, 1}}) {
        assertThat(maxError(branches, heads[0], heads[1], true, worst))
            .as("branches %s, %d/%d heads", branches, heads[0], heads[1])
            .isLessThan(2e-6);
      }
    }
    assertThat(worst[0]).isGreaterThan(0); // float32 against float64: some rounding is seen
  }

  @Test
  void groupedQueryAttentionWithoutPrefixEqualsTheOracle() {
    double[] worst = {0};
    for (boolean branches : new boolean[] {false, true}) {
      for (int[] heads : new int[][] {{4, 4}, {4, 2}, {6, 1}}) {
        assertThat(maxError(branches, heads[0], heads[1], false, worst))
            .as("branches %s, %d/%d heads", branches, heads[0], heads[1])
            .isLessThan(2e-6);
      }
    }
  }

  @Test
  void aSlidingWindowOverThePrefixKeepsOneMaskedAttention() {
    boolean[] m = mask(3, 7, 5, false);
    m[3] = false; // query 0 of row 0 no longer sees prefix key 3
    assertThat(TorchRuntime.prefixOpen(m, 3, 7, 12)).isFalse();
    assertThat(TorchRuntime.prefixOpen(mask(3, 7, 5, true), 3, 7, 12)).isTrue();
  }
}
