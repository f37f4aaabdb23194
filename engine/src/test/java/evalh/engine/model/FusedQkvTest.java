package evalh.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.engine.Fixtures;
import evalh.engine.checkpoint.DType;
import evalh.engine.checkpoint.ModelConfig;
import evalh.engine.checkpoint.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GPT-NeoX's query_key_value rows are per-head [q_n; k_n; v_n] blocks, not [Q; K; V]. */
class FusedQkvTest {

  /** A stored F16 tensor whose every element holds its row index (exact in F16 below 2048). */
  private static TensorInfo rowIndexed(long rows, long cols) {
    ByteBuffer b =
        ByteBuffer.allocate(Math.toIntExact(rows * cols * 2)).order(ByteOrder.LITTLE_ENDIAN);
    for (long r = 0; r < rows; r++) {
      for (long c = 0; c < cols; c++) {
        b.putShort(Float.floatToFloat16(r));
      }
    }
    long[] shape = cols == 1 ? new long[] {rows} : new long[] {rows, cols};
    return new TensorInfo("qkv", DType.F16, shape, Path.of("x"), MemorySegment.ofArray(b.array()));
  }

  @Test
  void rowsOfEachHeadGoToQKAndVInThatOrder() {
    ModelConfig c = ModelConfig.read(Fixtures.model("tiny-gpt-neox").resolve("config.json"));
    int n = c.numHeads();
    int d = c.headDim();
    for (long cols : new long[] {c.hiddenSize(), 1}) {
      List<TensorInfo> parts = FusedQkv.split(rowIndexed(3L * n * d, cols), c);
      assertThat(parts).hasSize(3);
      for (int s = 0; s < 3; s++) {
        TensorInfo p = parts.get(s);
        assertThat(p.shape()[0]).isEqualTo((long) n * d);
        assertThat(p.dtype()).isEqualTo(DType.F16);
        ByteBuffer bytes = p.bytes();
        for (int head = 0; head < n; head++) {
          for (int j = 0; j < d; j++) {
            long row = (long) head * d + j;
            for (long col = 0; col < cols; col++) {
              float v = Float.float16ToFloat(bytes.getShort((int) ((row * cols + col) * 2)));
              // HF: qkv.view(T, N, 3*D).chunk(3, -1): head n's block is rows 3nD .. 3nD + 3D - 1
              assertThat(v).isEqualTo((float) ((3 * head + s) * d + j));
            }
          }
        }
      }
    }
  }
}
