package evalh.harness.cli;

import picocli.CommandLine.Option;

/**
 * Where and how a model runs ({@code --torch}, {@code --device}, {@code --dtype}): declared once
 * here, a picocli {@code @Mixin} of {@link ModelOptions} (the decoder commands) and of {@code
 * embed} (the sentence encoder), which has no other model option.
 */
public final class RuntimeOptions {
  @Option(
      names = "--torch",
      paramLabel = "DIR|bundled",
      description =
          "libtorch for the torch runtime: a torch package directory or a libtorch lib/ folder;"
              + " 'bundled' for evalh's CPU build. Default: $EVALH_TORCH, else the torch of python3"
              + " on the PATH if it is >= 2.10, else the bundled CPU build (extracted once to"
              + " ~/.cache/evalh).")
  String torch;

  @Option(
      names = "--device",
      defaultValue = "auto",
      paramLabel = "auto|cpu|cuda[:N]",
      description = "Where to run (default: ${DEFAULT-VALUE}: CUDA when PyTorch sees a GPU).")
  String device;

  @Option(
      names = "--dtype",
      defaultValue = "auto",
      paramLabel = "auto|float32|bfloat16|float16",
      description =
          "Compute dtype (default: ${DEFAULT-VALUE}: on CPU float32 where it fits the free memory,"
              + " bfloat16 for a BF16 checkpoint on a CPU with AMX tiles, where it is faster, or"
              + " when only bfloat16 fits (embed: float32); on CUDA the checkpoint's stored"
              + " dtype). Weights stored in the compute dtype are used in place (memory-mapped); a"
              + " decoder checkpoint that cannot fit the free memory in the chosen dtype is"
              + " refused before loading.")
  String dtype;

  public String torch() {
    return torch;
  }

  public String device() {
    return device;
  }

  public String dtype() {
    return dtype;
  }
}
