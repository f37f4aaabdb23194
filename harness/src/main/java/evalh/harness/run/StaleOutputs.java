package evalh.harness.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Samples files in a reused output directory that the current run did not write (other tasks, an
 * earlier checkpoint, {@code --no-log-samples}) are moved to {@code superseded/<UTC time>/}: never
 * deleted (nothing computed is lost), never left next to a results.json they do not belong to.
 */
final class StaleOutputs {
  static final String DIR = "superseded";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private StaleOutputs() {}

  /** Moves {@code samples_*.jsonl} of {@code dir} not named in {@code written}; returns them. */
  static List<Path> moveAside(Path dir, Set<String> written) throws IOException {
    List<Path> stale;
    try (Stream<Path> s = Files.list(dir)) {
      stale =
          s.filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith("samples_") && n.endsWith(".jsonl") && !written.contains(n);
                  })
              .sorted()
              .toList();
    }
    if (stale.isEmpty()) {
      return stale;
    }
    Path to = Files.createDirectories(dir.resolve(DIR).resolve(STAMP.format(Instant.now())));
    for (Path p : stale) {
      Files.move(p, to.resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }
    return stale;
  }
}
