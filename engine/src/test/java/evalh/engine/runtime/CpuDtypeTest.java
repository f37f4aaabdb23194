package evalh.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.engine.checkpoint.DType;
import org.junit.jupiter.api.Test;

/** {@code --dtype auto} on the CPU: float32 where it fits, unless AMX makes bfloat16 faster. */
class CpuDtypeTest {
  @Test
  void float32WhereItFitsAndBfloat16IsSlower() {
    // no AMX (AVX512-BF16 alone measured x0.41 of float32): float32 whenever it fits
    assertThat(CpuDtype.choose(false, DType.BF16, true, true)).isEqualTo("float32");
    assertThat(CpuDtype.choose(false, DType.F32, true, true)).isEqualTo("float32");
    // only bfloat16 fits
    assertThat(CpuDtype.choose(false, DType.BF16, false, true)).isEqualTo("bfloat16");
    assertThat(CpuDtype.choose(true, DType.F32, false, true)).isEqualTo("bfloat16");
    // AMX and a BF16 checkpoint: as stored, and faster
    assertThat(CpuDtype.choose(true, DType.BF16, true, true)).isEqualTo("bfloat16");
    // AMX but a float32 checkpoint: float32 (exact as stored)
    assertThat(CpuDtype.choose(true, DType.F32, true, true)).isEqualTo("float32");
    // neither fits: float32, which the memory check refuses with the numbers
    assertThat(CpuDtype.choose(true, DType.BF16, false, false)).isEqualTo("float32");
  }
}
