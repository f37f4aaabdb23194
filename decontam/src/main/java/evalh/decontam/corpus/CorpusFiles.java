package evalh.decontam.corpus;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Expands corpus arguments (files, directories, globs) into a sorted list of corpus files. */
public final class CorpusFiles {
  private CorpusFiles() {}

  /** Whether the file name has a supported corpus extension. */
  public static boolean isCorpusFile(Path p) {
    return isCorpusFile(p.getFileName().toString());
  }

  /** Whether a file of this name has a supported corpus extension. */
  public static boolean isCorpusFile(String n) {
    return n.endsWith(".jsonl")
        || n.endsWith(".json")
        || n.endsWith(".ndjson")
        || n.endsWith(".jsonl.gz")
        || n.endsWith(".json.gz")
        || n.endsWith(".ndjson.gz")
        || n.endsWith(".jsonl.zst")
        || n.endsWith(".json.zst")
        || n.endsWith(".jsonl.zstd")
        || n.endsWith(".json.zstd")
        || n.endsWith(".parquet");
  }

  /**
   * Whether a corpus argument is a URI with a scheme ({@code s3a://…}, {@code file:/…}) rather than
   * a local path.
   */
  public static boolean hasScheme(String spec) {
    return spec.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*");
  }

  public static boolean isParquet(Path p) {
    return isParquet(p.getFileName().toString());
  }

  public static boolean isParquet(String name) {
    return name.endsWith(".parquet");
  }

  /**
   * Expands every spec. A file is taken as is (it must have a supported extension); a directory is
   * walked recursively for supported files; a spec with {@code * ? [ {} is a glob on the path.
   *
   * @throws IllegalArgumentException naming the spec that matched nothing or is unsupported
   */
  public static List<Path> expand(List<String> specs) throws IOException {
    TreeSet<Path> out = new TreeSet<>();
    for (String spec : specs) {
      List<Path> found = expandOne(spec);
      if (found.isEmpty()) {
        throw new IllegalArgumentException("corpus path '" + spec + "' matches no corpus file");
      }
      out.addAll(found);
    }
    return new ArrayList<>(out);
  }

  private static List<Path> expandOne(String spec) throws IOException {
    if (spec.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
      return glob(spec);
    }
    Path p = Path.of(spec).toAbsolutePath().normalize();
    if (Files.isDirectory(p)) {
      return walk(p, null);
    }
    if (!Files.exists(p)) {
      throw new IllegalArgumentException("corpus path '" + spec + "' does not exist");
    }
    if (!isCorpusFile(p)) {
      throw new IllegalArgumentException(
          "corpus file '"
              + spec
              + "' has an unsupported extension (expected .jsonl/.json/.ndjson, optionally .gz or"
              + " .zst, or .parquet)");
    }
    return List.of(p);
  }

  private static List<Path> glob(String spec) throws IOException {
    Path abs = Path.of(spec.replaceAll("[*?\\[{].*$", "x")).toAbsolutePath().normalize();
    String absSpec = Path.of(spec).isAbsolute() ? spec : Path.of("").toAbsolutePath() + "/" + spec;
    Path base = abs.getParent();
    while (base != null && !Files.isDirectory(base)) {
      base = base.getParent();
    }
    if (base == null) {
      return List.of();
    }
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + absSpec);
    return walk(base, m);
  }

  private static List<Path> walk(Path dir, PathMatcher matcher) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> p.toAbsolutePath().normalize())
          .filter(CorpusFiles::isCorpusFile)
          .filter(p -> matcher == null || matcher.matches(p))
          .sorted()
          .toList();
    }
  }
}
