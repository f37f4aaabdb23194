package evalh.harness.cli;

import evalh.engine.scoring.EngineOptions;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that load and run a model, shared as a picocli {@code @Mixin} by every model command
 * ({@code run}, {@code score}, {@code bench}, {@code check-fixtures}): each flag is declared here
 * once, and {@link #engineOptions} is the one place that turns flags into {@link EngineOptions}.
 * The lm-eval conventions of scoring text ({@code --add-bos}, {@code --max-length}, {@code
 * --no-prefix-cache}) are {@link ScoringOptions}, mixed into the commands that score text.
 */
public final class ModelOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--ckpt",
      paramLabel = "DIR",
      description =
          "HF checkpoint directory (config.json, *.safetensors, tokenizer.json), or 'demo' for the"
              + " bundled tiny random Llama.")
  String checkpoint;

  @Option(
      names = "--runtime",
      defaultValue = "auto",
      paramLabel = "auto|torch|djl",
      description =
          "Tensor runtime: 'torch' calls libtorch >= 2.10 through its stable C ABI (bfloat16,"
              + " float16, float32); 'djl' is DJL's PyTorch 2.7.1 engine (float32, float16 on"
              + " CUDA); 'auto' (default) is torch for bfloat16, --device cuda[:N] or a named"
              + " libtorch, else djl.")
  String runtime;

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
              + " when only bfloat16 fits; on CUDA the checkpoint's stored dtype with the torch"
              + " runtime, float16 with djl). Weights stored"
              + " in the compute dtype are used in place (memory-mapped); a checkpoint that cannot"
              + " fit the free memory in the chosen dtype is refused before loading.")
  String dtype;

  @Option(
      names = "--batch-tokens",
      defaultValue = "auto",
      paramLabel = "N|auto",
      description =
          "Token budget of one forward batch, padding included. auto (default): sized from the"
              + " free memory; with run's --batch-size N, no token limit.")
  String batchTokens;

  /** {@code --ckpt}, or a usage error naming what {@code command} needs it for. */
  public String checkpoint(String why) {
    if (checkpoint == null || checkpoint.isBlank()) {
      throw usage(why);
    }
    return checkpoint;
  }

  /** {@code --ckpt} as given, or null. */
  public String checkpointOrNull() {
    return checkpoint;
  }

  public String runtime() {
    return runtime;
  }

  public String torch() {
    return torch;
  }

  public String device() {
    return device;
  }

  public String dtype() {
    return dtype;
  }

  /** {@code --batch-tokens}: N &gt;= 1, or 0 for auto. */
  public int batchTokens() {
    if (batchTokens.trim().toLowerCase(Locale.ROOT).equals("auto")) {
      return 0;
    }
    int n;
    try {
      n = Integer.parseInt(batchTokens.trim());
    } catch (NumberFormatException e) {
      throw usage("--batch-tokens must be a positive integer or auto, got '" + batchTokens + "'");
    }
    if (n < 1) {
      throw usage("--batch-tokens must be >= 1 or auto, got " + n);
    }
    return n;
  }

  /**
   * The engine options of these flags and, where the command scores text, of {@code scoring} (null:
   * the defaults of {@link EngineOptions#defaults()}).
   */
  public EngineOptions engineOptions(ScoringOptions scoring) {
    if (device == null
        || !device.trim().toLowerCase(Locale.ROOT).matches("auto|cpu|cuda(:[0-9]+)?")) {
      throw usage("--device must be auto, cpu, cuda or cuda:N, got '" + device + "'");
    }
    EngineOptions o =
        EngineOptions.defaults()
            .withRuntime(runtime, torch)
            .withDevice(device)
            .withDtype(dtype)
            .withBatchTokens(batchTokens());
    return scoring == null ? o : scoring.applyTo(o, this::usage);
  }

  /** A usage error (exit 2) of the command this mixin belongs to. */
  RuntimeException usage(String message) {
    return mixee == null
        ? new IllegalArgumentException(message)
        : new ParameterException(mixee.commandLine(), message);
  }
}
