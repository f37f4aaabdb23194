package evalh.engine.runtime;

import evalh.engine.checkpoint.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code --dtype auto} on the CPU, by CPU features and memory. With AMX tiles (Intel {@code
 * amx_bf16}) bfloat16 measured x4.2-5.8 of float32 in the same process, and a BF16 checkpoint runs
 * as stored. Elsewhere float32, lm-eval's exact reference (and what the committed baselines were
 * scored in), wherever it fits the free memory: on AVX512-BF16 without AMX (AMD EPYC) bfloat16 with
 * TorchRuntime's float32 attention measured x1.5-2.8 of float32, but not x4, and on CPUs with
 * neither libtorch widens bfloat16 in software. bfloat16 where only it fits.
 */
public final class CpuDtype {
  private CpuDtype() {}

  /** Whether this CPU has AMX bfloat16 tiles ({@code amx_bf16} in /proc/cpuinfo's flags). */
  public static boolean hasAmxBf16() {
    try {
      return hasAmxBf16(Files.readAllLines(Path.of("/proc/cpuinfo")));
    } catch (IOException | RuntimeException e) {
      return false; // not Linux: no evidence of AMX, float32
    }
  }

  /** Whether the first {@code flags} line of these /proc/cpuinfo lines lists {@code amx_bf16}. */
  static boolean hasAmxBf16(List<String> cpuinfo) {
    for (String line : cpuinfo) {
      if (line.startsWith("flags")) {
        return Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))
            .contains("amx_bf16");
      }
    }
    return false;
  }

  /**
   * The compute dtype of {@code --dtype auto} on the CPU.
   *
   * @param amx whether the CPU has AMX bfloat16 tiles ({@link #hasAmxBf16})
   * @param stored the dtype most of the checkpoint is stored in
   * @param float32Fits whether the checkpoint fits the free memory in float32
   * @param bfloat16Fits whether it fits in bfloat16
   * @return {@code bfloat16} for a BF16 checkpoint on an AMX CPU (as stored, and faster), or when
   *     only bfloat16 fits; {@code float32} otherwise (a checkpoint that fits in neither is then
   *     refused by the memory check, which names the numbers)
   */
  public static String choose(
      boolean amx, DType stored, boolean float32Fits, boolean bfloat16Fits) {
    if (amx && stored == DType.BF16 && bfloat16Fits) {
      return "bfloat16";
    }
    if (!float32Fits && bfloat16Fits) {
      return "bfloat16";
    }
    return "float32";
  }
}
