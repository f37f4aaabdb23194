package evalh.harness.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code --ckpt demo}: a tiny random Llama (2 layers, hidden 64, vocab 500, BF16, two shards,
 * llama3 RoPE scaling) with a byte-level BPE tokenizer, bundled in the jar so the embedded default
 * runs with no download. Its scores are at chance.
 */
public final class DemoCheckpoint {
  public static final String NAME = "demo";
  static final List<String> FILES =
      List.of(
          "config.json",
          "generation_config.json",
          "model.safetensors.index.json",
          "model-00001-of-00002.safetensors",
          "model-00002-of-00002.safetensors",
          "tokenizer.json",
          "tokenizer_config.json");

  private DemoCheckpoint() {}

  /** {@code demo} → an extracted copy of the bundled checkpoint; anything else → that path. */
  public static Path resolve(String ckpt) {
    if (!NAME.equals(ckpt)) {
      return Path.of(ckpt);
    }
    try {
      Path dir = Files.createTempDirectory("evalh-demo-");
      for (String f : FILES) {
        try (InputStream in = DemoCheckpoint.class.getResourceAsStream("/evalh/demo/" + f)) {
          if (in == null) {
            throw new IllegalStateException("demo checkpoint file " + f + " missing from the jar");
          }
          Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        dir.resolve(f).toFile().deleteOnExit();
      }
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the demo checkpoint", e);
    }
  }
}
