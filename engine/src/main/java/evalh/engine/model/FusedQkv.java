package evalh.engine.model;

import evalh.engine.checkpoint.ModelConfig;
import evalh.engine.checkpoint.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * GPT-NeoX's fused {@code query_key_value} weight [3*N*D, H] (or bias [3*N*D]) in HF's per-head
 * interleaved layout: {@code qkv.view(T, N, 3*D).chunk(3, -1)}, so row {@code (3n + s)*D + j} is
 * row {@code n*D + j} of q (s = 0), k (s = 1) or v (s = 2). Split once at load into three ordinary
 * [N*D, ...] tensors, in the stored dtype, so the forward pass sees separate projections.
 */
final class FusedQkv {
  private FusedQkv() {}

  /** The q, k and v parts of a stored fused tensor, as derived (in-memory) tensors. */
  static List<TensorInfo> split(TensorInfo fused, ModelConfig c) {
    int n = c.numHeads();
    int d = c.headDim();
    long[] shape = fused.shape();
    if (shape[0] != 3L * n * d) {
      throw new IllegalStateException(
          fused.name() + ": " + shape[0] + " rows, expected 3 x " + n + " heads x " + d);
    }
    long rowElems = 1;
    for (int i = 1; i < shape.length; i++) {
      rowElems *= shape[i];
    }
    int rowBytes = Math.toIntExact(rowElems * fused.dtype().bytes());
    ByteBuffer src = fused.bytes();
    byte[][] parts = new byte[3][n * d * rowBytes];
    byte[] row = new byte[rowBytes];
    for (int head = 0; head < n; head++) {
      for (int s = 0; s < 3; s++) {
        for (int j = 0; j < d; j++) {
          src.get(((3 * head + s) * d + j) * rowBytes, row);
          System.arraycopy(row, 0, parts[s], (head * d + j) * rowBytes, rowBytes);
        }
      }
    }
    long[] partShape = shape.clone();
    partShape[0] = (long) n * d;
    String[] which = {"q", "k", "v"};
    TensorInfo[] out = new TensorInfo[3];
    for (int s = 0; s < 3; s++) {
      out[s] =
          new TensorInfo(
              fused.name() + "[" + which[s] + "]",
              fused.dtype(),
              partShape,
              fused.file(),
              MemorySegment.ofArray(parts[s]));
    }
    return List.of(out);
  }
}
