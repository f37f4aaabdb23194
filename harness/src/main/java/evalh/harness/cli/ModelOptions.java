package evalh.harness.cli;

import evalh.engine.scoring.EngineOptions;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that load and run a model, shared as a picocli {@code @Mixin} by every model command
 * ({@code run}, {@code score}, {@code bench}, {@code check-fixtures}): each flag is declared here
 * once ({@link RuntimeOptions} the runtime's, shared with {@code embed}), and {@link
 * #engineOptions} is the one place that turns flags into {@link EngineOptions}. The lm-eval
 * conventions of scoring text ({@code --add-bos}, {@code --max-length}, {@code --no-prefix-cache})
 * are {@link ScoringOptions}, mixed into the commands that score text.
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

  @Mixin RuntimeOptions where;

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

  public String torch() {
    return where.torch();
  }

  public String device() {
    return where.device();
  }

  public String dtype() {
    return where.dtype();
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
    String device = where.device();
    if (device == null
        || !device.trim().toLowerCase(Locale.ROOT).matches("auto|cpu|cuda(:[0-9]+)?")) {
      throw usage("--device must be auto, cpu, cuda or cuda:N, got '" + device + "'");
    }
    EngineOptions o =
        EngineOptions.defaults()
            .withTorch(where.torch())
            .withDevice(device)
            .withDtype(where.dtype())
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
