package evalh.engine.runtime;

import evalh.engine.checkpoint.DType;
import java.io.PrintStream;
import java.util.Locale;

/** Opens the {@link TensorRuntime} of a command's options ({@code --torch}, {@code --device}). */
public final class Runtimes {
  private Runtimes() {}

  /** Whether {@code device} names a CUDA device ({@code cuda} or {@code cuda:N}). */
  static boolean isCuda(String device) {
    String s = device == null ? "" : device.trim().toLowerCase(Locale.ROOT);
    return s.equals("cuda") || s.startsWith("cuda:");
  }

  /**
   * Finds the libtorch ({@link LibTorchLocator}) and opens a {@link TorchRuntime} on it.
   *
   * @param torch {@code --torch} (null: {@code EVALH_TORCH}, python3's torch, the bundled build)
   * @param device {@code auto}, {@code cpu}, {@code cuda[:N]}
   * @param dtype {@code auto}, {@code float32}, {@code bfloat16}, {@code float16}
   * @param stored the checkpoint's stored dtype ({@code auto} on CUDA computes in it)
   * @param notes where notes about skipped libtorch candidates go
   */
  public static TensorRuntime<?> open(
      String torch, String device, String dtype, DType stored, PrintStream notes) {
    LibTorchLocation where =
        LibTorchLocator.locate(
            torch, System.getenv(), LibTorchLocator.defaultCacheRoot(), isCuda(device));
    where.notes().forEach(n -> notes.println("evalh: note: " + n));
    return TorchRuntime.open(where, device, dtype, stored);
  }
}
