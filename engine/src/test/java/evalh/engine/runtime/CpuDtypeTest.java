package evalh.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.engine.checkpoint.DType;
import java.util.List;
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

  /** The flags line of an AMD EPYC with AVX512-BF16 and no AMX (this project's CPU machine). */
  static final String EPYC =
      "flags\t\t: fpu vme sse sse2 avx avx2 avx512f avx512bw avx512_bf16 avx512_vnni vaes";

  /** The flags line of an Intel Sapphire Rapids with AMX tiles. */
  static final String SAPPHIRE_RAPIDS =
      "flags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_fp16 amx_bf16 amx_tile amx_int8";

  @Test
  void amxIsReadFromTheCpuinfoFlags() {
    assertThat(CpuDtype.hasAmxBf16(List.of("processor\t: 0", EPYC, "bugs\t\t: amx_bf16")))
        .as("only the flags line counts")
        .isFalse();
    assertThat(CpuDtype.hasAmxBf16(List.of("processor\t: 0", SAPPHIRE_RAPIDS))).isTrue();
    assertThat(CpuDtype.hasAmxBf16(List.of("flags\t\t: fpu amx_bf16x"))).isFalse();
    assertThat(CpuDtype.hasAmxBf16(List.of())).isFalse();
  }

  @Test
  void memAvailableIsReadFromMeminfo() {
    List<String> meminfo =
        List.of(
            "MemTotal:       131891804 kB",
            "MemFree:         2000000 kB",
            "MemAvailable:   100000000 kB");
    assertThat(HostMemory.memAvailable(meminfo)).isEqualTo(100_000_000L * 1024);
    assertThat(HostMemory.memAvailable(List.of("MemTotal: 1 kB"))).isEqualTo(-1);
  }

  /**
   * End to end on fake hosts: an 8B BF16 checkpoint (16 GB of weights; float32 needs ~34 GiB with
   * the margin) on the EPYC runs float32 where 100 GB are free, bfloat16 where only 20 GB are; on
   * Sapphire Rapids it runs bfloat16, as stored.
   */
  @Test
  void eightBillionParametersOnFakeHosts() {
    long params = 8_030_000_000L;
    for (Object[] c :
        new Object[][] {
          {EPYC, 100_000_000L, "float32"},
          {EPYC, 20_000_000L, "bfloat16"},
          {SAPPHIRE_RAPIDS, 100_000_000L, "bfloat16"},
        }) {
      long free = HostMemory.memAvailable(List.of("MemAvailable: " + c[1] + " kB"));
      boolean amx = CpuDtype.hasAmxBf16(List.of((String) c[0]));
      String got =
          CpuDtype.choose(amx, DType.BF16, need(params, 4) <= free, need(params, 2) <= free);
      assertThat(got).as("%s, %s kB free", c[0], c[1]).isEqualTo(c[2]);
    }
  }

  /** Weights plus 5% and 512 MiB, as the engine's memory estimate (written out here). */
  private static long need(long params, int bytes) {
    long w = params * bytes;
    return w + w / 20 + (512L << 20);
  }
}
