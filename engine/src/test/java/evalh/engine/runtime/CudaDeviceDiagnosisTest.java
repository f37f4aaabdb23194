package evalh.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.engine.checkpoint.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --device cuda} on a host where it cannot work says which piece is missing: no torch, a
 * CPU-only torch, no GPU, a driver too old for the torch's CUDA.
 */
class CudaDeviceDiagnosisTest {
  @TempDir Path tmp;

  @Test
  void noTorchFoundSaysWhereEvalhLookedAndExtractsNothing() throws IOException {
    Path cache = tmp.resolve("cache");
    Path bin = FakePython.in(tmp, "echo 'evalh-torch: none'");
    assertThatThrownBy(
            () -> LibTorchLocator.locate(null, Map.of("PATH", bin.toString()), cache, true))
        .isInstanceOf(TorchException.class)
        .hasMessageContaining("--device cuda needs a CUDA build of PyTorch >= 2.10")
        .hasMessageContaining("--torch is not given, EVALH_TORCH is not set")
        .hasMessageContaining("python3 (" + bin.resolve("python3") + ") has no torch package")
        .hasMessageContaining("the bundled libtorch is CPU-only")
        .hasMessageContaining("--torch DIR or EVALH_TORCH=DIR");
    assertThatThrownBy(
            () ->
                LibTorchLocator.locate(
                    null, Map.of("PATH", tmp.resolve("empty").toString()), cache, true))
        .hasMessageContaining("there is no python3 on PATH");
    Path old =
        FakePython.in(tmp, "echo 'evalh-torch: 2.4.1\t/usr/lib/python3/dist-packages/torch'");
    assertThatThrownBy(
            () -> LibTorchLocator.locate(null, Map.of("PATH", old.toString()), cache, true))
        .hasMessageContaining("has torch 2.4.1, older than 2.10");
    assertThat(cache).doesNotExist();
  }

  /**
   * B10: a python3 writing about 300 KB to stderr stalled discovery for 120 s (the streams were
   * read only after waitFor), then was reported as too slow to import torch.
   */
  @Test
  void aChattyPythonIsReadWhileItRuns() throws IOException {
    Path bin =
        FakePython.in(
            tmp,
            "i=0; while [ $i -lt 3000 ]; do echo 'Warning: a hundred bytes of noise from a chatty"
                + " site-packages hook, again and again ........' >&2; i=$((i+1)); done;"
                + " echo 'evalh-torch: none'");
    assertThatThrownBy(
            () ->
                LibTorchLocator.locate(
                    null, Map.of("PATH", bin.toString()), tmp.resolve("cache"), true))
        .hasMessageContaining("python3 (" + bin.resolve("python3") + ") has no torch package")
        .hasMessageNotContaining("120 s");
  }

  @Test
  void theBundledBuildAskedForCudaIsNamedAsCpuOnly() {
    Path cache = tmp.resolve("cache");
    String version = LibTorchLocator.bundledVersions().getProperty("pytorch");
    assertThat(version).isNotBlank();
    assertThatThrownBy(() -> LibTorchLocator.locate("bundled", Map.of("PATH", ""), cache, true))
        .isInstanceOf(TorchException.class)
        .hasMessageContaining("--torch bundled")
        .hasMessageContaining("org.bytedeco:pytorch:" + version)
        .hasMessageContaining("is a CPU-only build: it has no CUDA");
    assertThat(cache).doesNotExist();
  }

  @Test
  void aLoadedCpuOnlyLibtorchIsNamedWithItsVersion() {
    // The bundled build stands in for a CPU wheel: what is checked is the loaded library.
    LibTorchLocation cpuOnly =
        LibTorchLocator.locate("bundled", Map.of(), LibTorchLocator.defaultCacheRoot());
    String version = LibTorchLocator.bundledVersions().getProperty("pytorch").split("-")[0];
    for (String device : new String[] {"cuda", "cuda:1"}) {
      assertThatThrownBy(() -> TorchRuntime.open(cpuOnly, device, "auto", DType.BF16))
          .isInstanceOf(TorchException.class)
          .hasMessageContaining("--device " + device + ": libtorch " + version)
          .hasMessageContaining(cpuOnly.library().getParent().toString())
          .hasMessageContaining("has no CUDA: it is a CPU-only build")
          .hasMessageContaining("--torch DIR or EVALH_TORCH=DIR");
    }
  }

  @Test
  void theCudaRuntimesAnswerIsTurnedIntoTheMissingPiece() {
    assertThat(TorchRuntime.noGpu(100, 0, 0, "no CUDA-capable device is detected"))
        .contains("sees no GPU")
        .contains("cudaErrorNoDevice")
        .contains("no CUDA-capable device is detected")
        .contains("CUDA_VISIBLE_DEVICES");
    assertThat(TorchRuntime.noGpu(35, 0, 0, null))
        .contains("driver is too old for this torch's CUDA runtime")
        .contains("cudaErrorInsufficientDriver");
    assertThat(TorchRuntime.noGpu(34, 0, 0, null)).contains("no NVIDIA driver is installed");
    assertThat(TorchRuntime.noGpu(0, 0, 0, null)).contains("sees no GPU");
    assertThat(TorchRuntime.noGpu(0, 2, 3, null))
        .contains("sees 2 GPU(s), so there is no cuda:3")
        .contains("cuda:0 to cuda:1");
    assertThat(TorchRuntime.noGpu(999, 0, 0, "unknown error"))
        .contains("CUDA error 999 (\"unknown error\")")
        .contains("driver too old");
  }
}
