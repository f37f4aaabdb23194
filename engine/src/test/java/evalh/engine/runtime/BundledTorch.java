package evalh.engine.runtime;

import evalh.engine.checkpoint.DType;
import java.util.Map;

/** The runtime the engine's tests compute on: the bundled CPU libtorch, in float32. */
public final class BundledTorch {
  private BundledTorch() {}

  /**
   * Opens TorchRuntime on the bundled build ({@code --torch bundled}, never python3's torch), on
   * the CPU in float32, for weights stored as {@code stored}.
   */
  public static TorchRuntime cpuFloat32(DType stored) {
    LibTorchLocation where =
        LibTorchLocator.locate(
            LibTorchLocator.BUNDLED, Map.of(), LibTorchLocator.defaultCacheRoot());
    return TorchRuntime.open(where, "cpu", "float32", stored);
  }
}
