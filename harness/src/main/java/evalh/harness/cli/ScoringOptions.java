package evalh.harness.cli;

import evalh.engine.scoring.EngineOptions;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The lm-eval conventions of scoring text, a picocli {@code @Mixin} of the commands that score text
 * ({@code run}, {@code score}); {@link ModelOptions#engineOptions} applies them.
 */
public final class ScoringOptions {
  @Option(
      names = "--add-bos",
      defaultValue = "auto",
      paramLabel = "auto|true|false",
      description =
          "Prepend BOS to every request. auto (default) follows the tokenizer (as lm-eval >="
              + " 0.4.9.2); false gives the older lm-eval convention.")
  String addBos;

  @Option(
      names = "--max-length",
      paramLabel = "N",
      description =
          "Context window (>= 1) for left truncation and rolling windows (default: the"
              + " checkpoint's max_position_embeddings).")
  Integer maxLength;

  @Option(
      names = "--no-prefix-cache",
      description =
          "Score every request in full instead of running long shared prefixes (few-shot blocks)"
              + " once and reusing their keys/values.")
  boolean noPrefixCache;

  /** {@code o} with these conventions; {@code usage} makes the error of a bad value. */
  EngineOptions applyTo(EngineOptions o, Function<String, RuntimeException> usage) {
    if (maxLength != null && maxLength < 1) {
      throw usage.apply(
          "--max-length must be >= 1, got "
              + maxLength
              + " (omit it to use the checkpoint's max_position_embeddings)");
    }
    Boolean bos =
        switch (addBos.trim().toLowerCase(Locale.ROOT)) {
          case "auto" -> null;
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          default ->
              throw usage.apply("--add-bos must be auto, true or false, got '" + addBos + "'");
        };
    return o.withAddBos(bos)
        .withMaxLength(maxLength == null ? 0 : maxLength)
        .withSharePrefixes(!noPrefixCache);
  }
}
