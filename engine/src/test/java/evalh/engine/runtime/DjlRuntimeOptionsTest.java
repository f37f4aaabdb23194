package evalh.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DjlRuntimeOptionsTest {

  @Test
  void devicesParse() {
    assertThat(DjlRuntime.parseDevice("auto", 0).isGpu()).isFalse();
    assertThat(DjlRuntime.parseDevice("auto", 2).getDeviceId()).isZero();
    assertThat(DjlRuntime.parseDevice("cuda:1", 2).getDeviceId()).isEqualTo(1);
    assertThat(DjlRuntime.parseDevice("CPU", 2).isGpu()).isFalse();
  }

  @Test
  void missingGpuAndBadValuesAreExplained() {
    assertThatThrownBy(() -> DjlRuntime.parseDevice("cuda", 0))
        .hasMessageContaining("PyTorch sees 0 CUDA device(s)")
        .hasMessageContaining("PYTORCH_LIBRARY_PATH");
    assertThatThrownBy(() -> DjlRuntime.parseDevice("tpu", 0))
        .hasMessageContaining("unknown --device tpu");
    assertThatThrownBy(() -> DjlRuntime.open("cpu", "bfloat16"))
        .hasMessageContaining("no bfloat16");
    assertThatThrownBy(() -> DjlRuntime.open("cpu", "float16"))
        .hasMessageContaining("needs a CUDA device");
    assertThatThrownBy(() -> DjlRuntime.open("cpu", "int8"))
        .hasMessageContaining("unknown --dtype int8");
  }

  @Test
  void float32CpuRuntimeReportsItself() {
    try (DjlRuntime rt = DjlRuntime.open("cpu", "auto")) {
      assertThat(rt.device()).isEqualTo("cpu");
      assertThat(rt.computeDtype()).isEqualTo("float32");
    }
  }

  /**
   * B6: a 2.1B BF16 Llama on the float32 DJL path passed the memory pre-check (host memory), then
   * died with "Cannot reserve ... direct buffer memory". The pre-check now counts the JVM's
   * direct-memory limit (here the default, the heap limit, well below this host's free memory).
   */
  @Test
  void cpuFreeMemoryIsBoundedByTheDirectMemoryLimit() {
    long limit = Runtime.getRuntime().maxMemory(); // surefire sets no -XX:MaxDirectMemorySize
    try (DjlRuntime rt = DjlRuntime.open("cpu", "float32")) {
      assertThat(rt.freeMemoryBytes()).isLessThanOrEqualTo(limit);
      assertThat(rt.freeMemoryBytes()).isLessThanOrEqualTo(HostMemory.availableBytes());
    }
  }
}
