package evalh.engine.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokenizers shared by the checkpoints of a sweep: a checkpoint whose tokenizer files (and the
 * special-token fields they fall back to) are byte-identical to an earlier one's gets the tokenizer
 * already loaded. Owns what it loaded; close it after the last engine that borrowed one.
 */
public final class SharedTokenizers implements AutoCloseable {
  /** What {@link TextTokenizer#load} reads. */
  private static final List<String> FILES =
      List.of(
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "generation_config.json",
          "config.json");

  private final Map<String, TextTokenizer> loaded = new LinkedHashMap<>();
  private int loads;

  /** The tokenizer of the checkpoint in {@code dir}, loaded once per distinct set of files. */
  public synchronized TextTokenizer get(Path dir) {
    String key = key(dir);
    TextTokenizer t = loaded.get(key);
    if (t == null) {
      t = TextTokenizer.load(dir);
      loads++;
      loaded.put(key, t);
    }
    return t;
  }

  /** How many tokenizers were loaded (not borrowed again). */
  public synchronized int loads() {
    return loads;
  }

  /**
   * SHA-256 over the files, each with its name and length (config.json whole: the tokenizer falls
   * back to its special-token ids).
   */
  private static String key(Path dir) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String f : FILES) {
        Path p = dir.resolve(f);
        md.update(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (Files.isRegularFile(p)) {
          byte[] b = Files.readAllBytes(p);
          md.update(Long.toString(b.length).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          md.update(b);
        } else {
          md.update((byte) 0);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tokenizer files of " + dir, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    loaded.values().forEach(TextTokenizer::close);
    loaded.clear();
  }
}
