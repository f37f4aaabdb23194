package evalh.harness.cli;

import evalh.engine.scoring.EngineOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The model options shared by every command that loads a checkpoint. */
public final class ModelOptions {
  @Option(
      names = "--ckpt",
      required = true,
      paramLabel = "DIR",
      description =
          "HF checkpoint directory (config.json, *.safetensors, tokenizer.json), or 'demo'"
              + " for the bundled tiny random Llama.")
  public String checkpoint;

  @Option(
      names = "--runtime",
      defaultValue = "auto",
      paramLabel = "auto|torch|djl",
      description =
          "Tensor runtime: 'torch' calls libtorch >= 2.10 through its stable C ABI (bfloat16,"
              + " float16, float32); 'djl' is DJL's PyTorch 2.7.1 engine (float32, float16 on"
              + " CUDA); 'auto' (default) is torch for bfloat16, --device cuda[:N] or a named"
              + " libtorch, else djl.")
  public String runtime;

  @Option(
      names = "--torch",
      paramLabel = "DIR|bundled",
      description =
          "libtorch for --runtime torch: a torch package directory or a libtorch lib/ folder;"
              + " 'bundled' for evalh's CPU build. Default: $EVALH_TORCH, else the torch of python3"
              + " on the PATH if it is >= 2.10, else the bundled CPU build (extracted once to"
              + " ~/.cache/evalh).")
  public String torch;

  @Option(
      names = "--device",
      defaultValue = "auto",
      paramLabel = "auto|cpu|cuda[:N]",
      description = "Where to run (default: ${DEFAULT-VALUE}: CUDA when PyTorch sees a GPU).")
  public String device;

  @Option(
      names = "--dtype",
      defaultValue = "auto",
      paramLabel = "auto|float32|bfloat16|float16",
      description =
          "Compute dtype (default: ${DEFAULT-VALUE}: float32 on CPU for accuracy; on CUDA the"
              + " checkpoint's stored dtype with the torch runtime, float16 with djl). Weights stored"
              + " in the compute dtype are used in place (memory-mapped); a checkpoint that cannot"
              + " fit the free memory in the chosen dtype is refused before loading.")
  public String dtype;

  @Option(
      names = "--add-bos",
      arity = "1",
      paramLabel = "true|false",
      description =
          "Prepend BOS to every request. Default: follow the tokenizer (as lm-eval >="
              + " 0.4.9.2); false gives the older lm-eval convention.")
  public Boolean addBos;

  @Option(
      names = "--max-length",
      paramLabel = "N",
      description = "Context window (>= 1) for left truncation (default: max_position_embeddings).")
  public Integer maxLength;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--batch-tokens",
      defaultValue = "" + EngineOptions.DEFAULT_BATCH_TOKENS,
      paramLabel = "N",
      description =
          "Token budget of one forward batch, padding included (default: ${DEFAULT-VALUE}).")
  public int batchTokens;

  @Option(
      names = "--no-prefix-cache",
      description =
          "Score every request in full instead of running long shared prefixes"
              + " (few-shot blocks) once and reusing their keys/values.")
  public boolean noPrefixCache;

  /** Engine options from these flags. */
  public EngineOptions engineOptions() {
    if (maxLength != null && maxLength < 1) {
      throw usage(
          "--max-length must be >= 1, got "
              + maxLength
              + " (omit it to use the checkpoint's max_position_embeddings)");
    }
    if (batchTokens < 1) {
      throw usage("--batch-tokens must be >= 1");
    }
    if (device == null
        || !device.trim().toLowerCase(java.util.Locale.ROOT).matches("auto|cpu|cuda(:[0-9]+)?")) {
      throw usage("--device must be auto, cpu, cuda or cuda:N, got '" + device + "'");
    }
    return EngineOptions.defaults()
        .withRuntime(runtime, torch)
        .withDevice(device)
        .withDtype(dtype)
        .withAddBos(addBos)
        .withMaxLength(maxLength == null ? 0 : maxLength)
        .withBatchTokens(batchTokens)
        .withSharePrefixes(!noPrefixCache);
  }

  /** A usage error (exit 2) of the command this mixin belongs to. */
  private RuntimeException usage(String message) {
    return mixee == null
        ? new IllegalArgumentException(message)
        : new ParameterException(mixee.commandLine(), message);
  }
}
