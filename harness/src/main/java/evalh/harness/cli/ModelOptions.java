package evalh.harness.cli;

import evalh.harness.engine.EngineOptions;
import picocli.CommandLine.Option;

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
      names = "--device",
      defaultValue = "auto",
      paramLabel = "auto|cpu|cuda[:N]",
      description = "Where to run (default: ${DEFAULT-VALUE}: CUDA when PyTorch sees a GPU).")
  public String device;

  @Option(
      names = "--dtype",
      defaultValue = "auto",
      paramLabel = "auto|float32|float16",
      description =
          "Compute dtype (default: ${DEFAULT-VALUE}: float32 on CPU, float16 on CUDA)."
              + " BF16 weights are widened exactly to float32 in Java (DJL has no bfloat16).")
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
      defaultValue = "0",
      paramLabel = "N",
      description = "Context window for left truncation (default: max_position_embeddings).")
  public int maxLength;

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
    if (maxLength < 0) {
      throw new IllegalArgumentException("--max-length must be >= 0");
    }
    if (batchTokens < 1) {
      throw new IllegalArgumentException("--batch-tokens must be >= 1");
    }
    return EngineOptions.defaults()
        .withDevice(device)
        .withDtype(dtype)
        .withAddBos(addBos)
        .withMaxLength(maxLength)
        .withBatchTokens(batchTokens)
        .withSharePrefixes(!noPrefixCache);
  }
}
