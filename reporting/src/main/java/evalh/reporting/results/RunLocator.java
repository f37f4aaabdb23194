package evalh.reporting.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Resolves a user's run argument (a run directory or a results file) to its results.json. */
public final class RunLocator {
  private RunLocator() {}

  /**
   * The results file for {@code arg}: the file itself, or {@code results.json} in the directory, or
   * lm-eval's single {@code results_<timestamp>.json} there.
   *
   * @throws IllegalArgumentException when nothing usable is there (a usage error)
   */
  public static Path resultsFile(Path arg) {
    if (Files.isRegularFile(arg)) {
      return arg;
    }
    if (!Files.isDirectory(arg)) {
      throw new IllegalArgumentException(arg + ": no such run directory or results file");
    }
    Path results = arg.resolve("results.json");
    if (Files.isRegularFile(results)) {
      return results;
    }
    List<Path> timestamped;
    try (Stream<Path> s = Files.list(arg)) {
      timestamped =
          s.filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith("results_") && n.endsWith(".json");
                  })
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new IllegalArgumentException(arg + ": cannot list directory: " + e.getMessage(), e);
    }
    if (timestamped.size() == 1) {
      return timestamped.getFirst();
    }
    if (timestamped.isEmpty()) {
      throw new IllegalArgumentException(
          arg + ": no results.json in this directory (expected the --output of 'evalh run')");
    }
    throw new IllegalArgumentException(
        arg + ": several results_*.json files (" + timestamped.size() + "); pass the one to use");
  }

  /** Loads the run at {@code arg}. */
  public static Run load(Path arg, String label) {
    Path file = resultsFile(arg);
    Path dir = file.toAbsolutePath().getParent();
    return new Run(arg.toString(), label, ResultsReader.read(file, dir));
  }
}
