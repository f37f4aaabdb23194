package evalh.harness.model;

import evalh.harness.checkpoint.ModelConfig;

/**
 * Rotary tables in HF's rotate_half layout: {@code cos/sin(cat(f, f))} with {@code f = pos *
 * inv_freq}, computed in double precision from the (possibly rescaled) inverse frequencies.
 */
final class Rope {
  private final double[] invFreq;
  private final int dim;

  Rope(ModelConfig c) {
    this.dim = c.headDim();
    this.invFreq = c.ropeScaling().inverseFrequencies(dim, c.ropeTheta());
  }

  float[] cos(int[] positions) {
    return table(positions, true);
  }

  float[] sin(int[] positions) {
    return table(positions, false);
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
