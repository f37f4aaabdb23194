package evalh.engine.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code --ckpt demo}: a tiny random Llama (2 layers, hidden 64, vocab 500, BF16, two shards,
 * llama3 RoPE scaling) with a byte-level BPE tokenizer, bundled in the jar so the embedded default
 * runs with no download. Its scores are at chance.
 *
 * <p>The files are extracted to {@code <tmp>/evalh-demo-<pid>-<random>}, removed when the JVM
 * exits; a copy left by a killed process (its pid no longer running) is removed by the next
 * extraction.
 */
public final class DemoCheckpoint {
  public static final String NAME = "demo";
  static final String PREFIX = "evalh-demo-";
  private static final Pattern OWNED = Pattern.compile(Pattern.quote(PREFIX) + "([0-9]+)-[0-9]+");
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
    return extract(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** Extracts the demo checkpoint under {@code tmpRoot}, first removing stale copies there. */
  static Path extract(Path tmpRoot) {
    removeStale(tmpRoot);
    Path dir = null;
    try {
      dir = Files.createTempDirectory(tmpRoot, PREFIX + ProcessHandle.current().pid() + "-");
      Path created = dir;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> deleteTree(created), "evalh-demo-cleanup"));
      for (String f : FILES) {
        try (InputStream in = DemoCheckpoint.class.getResourceAsStream("/evalh/demo/" + f)) {
          if (in == null) {
            throw new IllegalStateException("demo checkpoint file " + f + " missing from the jar");
          }
          Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return dir;
    } catch (IOException e) {
      if (dir != null) {
        deleteTree(dir);
      }
      throw new UncheckedIOException("cannot extract the demo checkpoint", e);
    }
  }

  /** Removes {@code evalh-demo-<pid>-*} directories under {@code tmpRoot} whose pid is gone. */
  static void removeStale(Path tmpRoot) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(tmpRoot, PREFIX + "*")) {
      for (Path p : s) {
        Matcher m = OWNED.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p) && !running(m.group(1))) {
          deleteTree(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a stale copy costs disk space, not correctness
    }
  }

  private static boolean running(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true; // not ours to judge
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // best effort at exit or while cleaning up
    }
  }
}
