package evalh.engine.runtime;

import evalh.engine.checkpoint.DType;
import java.io.PrintStream;
import java.util.Locale;

/** Opens the {@link TensorRuntime} a command asked for ({@code --runtime}, {@code --torch}). */
public final class Runtimes {
  private Runtimes() {}

  /**
   * {@code --runtime auto}: {@code torch} when it is the only runtime that can do what was asked
   * (bfloat16; a CUDA device with the PyTorch the machine has, DJL's CUDA build being a download)
   * or a libtorch was named ({@code --torch}, {@code EVALH_TORCH}); {@code djl} otherwise (float32
   * on the CPU). On the quiet machine TorchRuntime's float32 throughput is now x1.06-1.36 of DJL's
   * on every bench workload (two runs, README, Tensor runtimes); DJL stays the float32 CPU default
   * until that is confirmed and DJL's runtime is removed.
   */
  static String auto(String torch, String dtype, String envTorch, String device) {
    String d = dtype == null ? "" : dtype.trim().toLowerCase(Locale.ROOT);
    boolean named =
        (torch != null && !torch.isBlank()) || (envTorch != null && !envTorch.isBlank());
    return named || d.equals("bfloat16") || d.equals("bf16") || isCuda(device) ? "torch" : "djl";
  }

  /** The runtime {@link #open} opens for these options: {@code torch} or {@code djl}. */
  public static String choose(String runtime, String torch, String dtype, String device) {
    String r = runtime == null ? "auto" : runtime.trim().toLowerCase(Locale.ROOT);
    return r.equals("auto") ? auto(torch, dtype, System.getenv("EVALH_TORCH"), device) : r;
  }

  /** Whether {@code device} names a CUDA device ({@code cuda} or {@code cuda:N}). */
  static boolean isCuda(String device) {
    String s = device == null ? "" : device.trim().toLowerCase(Locale.ROOT);
    return s.equals("cuda") || s.startsWith("cuda:");
  }

  /**
   * Opens a runtime.
   *
   * @param runtime {@code auto}, {@code torch} or {@code djl}
   * @param torch {@code --torch} (null: {@code EVALH_TORCH}, python3's torch, the bundled build)
   * @param device {@code auto}, {@code cpu}, {@code cuda[:N]}
   * @param dtype {@code auto}, {@code float32}, {@code bfloat16}, {@code float16}
   * @param stored the checkpoint's stored dtype ({@code auto} on CUDA computes in it)
   * @param notes where notes about skipped libtorch candidates go
   */
  public static TensorRuntime<?> open(
      String runtime, String torch, String device, String dtype, DType stored, PrintStream notes) {
    String r = choose(runtime, torch, dtype, device);
    return switch (r) {
      case "djl" -> {
        if (torch != null && !torch.isBlank()) {
          throw new IllegalArgumentException(
              "--torch applies to --runtime torch; DJL brings its own libtorch 2.7.1");
        }
        yield DjlRuntime.open(device, dtype);
      }
      case "torch" -> {
        LibTorchLocation where =
            LibTorchLocator.locate(
                torch, System.getenv(), LibTorchLocator.defaultCacheRoot(), isCuda(device));
        where.notes().forEach(n -> notes.println("evalh: note: " + n));
        yield TorchRuntime.open(where, device, dtype, stored);
      }
      default ->
          throw new IllegalArgumentException(
              "unknown --runtime " + runtime + " (auto, torch, djl)");
    };
  }
}
