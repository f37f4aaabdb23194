package evalh.engine.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;

import evalh.engine.checkpoint.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Loading libtorch sets OpenBLAS's worker spin short ({@code OPENBLAS_THREAD_TIMEOUT}), unless the
 * environment set it: with OpenBLAS's default the element-wise ops after each matmul ran 5-15x
 * slower (README, Tensor runtimes).
 */
class OpenBlasSpinTest {
  @Test
  void libtorchIsLoadedWithAShortOpenBlasSpin() throws Throwable {
    try (TorchRuntime rt = BundledTorch.cpuFloat32(DType.F32)) {
      assertThat(rt.computeDtype()).isEqualTo("float32");
    }
    String expected =
        System.getenv("OPENBLAS_THREAD_TIMEOUT") != null
            ? System.getenv("OPENBLAS_THREAD_TIMEOUT")
            : LibTorch.OPENBLAS_THREAD_TIMEOUT;
    // the process environment as native code sees it (System.getenv is a copy made at start-up)
    Linker linker = Linker.nativeLinker();
    MemorySegment value;
    try (Arena a = Arena.ofConfined()) {
      value =
          (MemorySegment)
              linker
                  .downcallHandle(
                      linker.defaultLookup().find("getenv").orElseThrow(),
                      FunctionDescriptor.of(ADDRESS, ADDRESS))
                  .invokeExact(a.allocateFrom("OPENBLAS_THREAD_TIMEOUT"));
    }
    assertThat(value.address()).isNotZero();
    assertThat(value.reinterpret(64).getString(0)).isEqualTo(expected);
  }
}
