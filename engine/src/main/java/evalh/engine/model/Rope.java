package evalh.engine.model;

import evalh.engine.checkpoint.ModelConfig;

/**
 * Rotary tables in HF's rotate_half layout: {@code cos/sin(cat(f, f))} with {@code f = pos *
 * inv_freq}, computed in double precision from the (possibly rescaled) inverse frequencies. The
 * tables are R wide, R the rotary dims of a head: the head dim, or GPT-NeoX's {@code rotary_pct}
 * share of it, with {@code inv_freq = 1 / theta^(arange(0, R, 2) / R)} as HF's default rope init.
 */
final class Rope {
  private final double[] invFreq;
  private final int dim;

  Rope(ModelConfig c) {
    this.dim = c.rotaryDim();
    this.invFreq = c.ropeScaling().inverseFrequencies(dim, c.ropeTheta());
  }

  float[] cos(int[] positions) {
    return table(positions, true);
  }

  float[] sin(int[] positions) {
    return table(positions, false);
  }

  /** Width R of one row of the tables. */
  int dim() {
    return dim;
  }

  private float[] table(int[] positions, boolean cos) {
    int half = dim / 2;
    float[] out = new float[positions.length * dim];
    for (int t = 0; t < positions.length; t++) {
      for (int i = 0; i < half; i++) {
        double a = positions[t] * invFreq[i];
        float v = (float) (cos ? Math.cos(a) : Math.sin(a));
        out[t * dim + i] = v;
        out[t * dim + half + i] = v;
      }
    }
    return out;
  }
}
