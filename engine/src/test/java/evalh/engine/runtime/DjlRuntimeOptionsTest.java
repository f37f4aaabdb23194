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
}
