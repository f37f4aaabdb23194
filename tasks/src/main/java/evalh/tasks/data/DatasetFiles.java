package evalh.tasks.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** File discovery helpers for the dataset layouts. */
final class DatasetFiles {
  private DatasetFiles() {}

  /** The data formats a split file may have; two files differing only in these are one split. */
  private static final List<String> DATA_EXTENSIONS =
      List.of(".jsonl", ".json", ".parquet", ".csv", ".raw");

  /**
   * Regular files in {@code dir} (not recursive) whose name passes, sorted by name. A file that
   * passes and another file of the folder holding the same data in another format or compression
   * ({@code test.jsonl} and {@code test.jsonl.gz}, {@code test.parquet} and {@code test.jsonl}) are
   * an error naming both: reading both would count every item twice, and picking one would be a
   * guess.
   */
  static List<Path> list(Path dir, Predicate<String> name) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> all;
    try (Stream<Path> s = Files.list(dir)) {
      all =
          s.filter(Files::isRegularFile)
              .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    List<Path> chosen = all.stream().filter(p -> name.test(p.getFileName().toString())).toList();
    Set<Path> picked = new HashSet<>(chosen);
    Map<String, Path> byStem = new HashMap<>();
    for (Path p : all) {
      String stem = dataStem(p.getFileName().toString());
      Path first = stem == null ? null : byStem.putIfAbsent(stem, p);
      if (first != null && (picked.contains(first) || picked.contains(p))) {
        throw new DataFormatException(
            "ambiguous data files: "
                + first
                + " and "
                + p
                + " hold the same split in two formats or compressions; keep one of them");
      }
    }
    return chosen;
  }

  /** The name without compression and data format, or null when it is no data file. */
  private static String dataStem(String fileName) {
    String b = stripCompression(fileName);
    for (String ext : DATA_EXTENSIONS) {
      if (b.endsWith(ext)) {
        return b.substring(0, b.length() - ext.length());
      }
    }
    return null;
  }

  /** Matches {@code split.ext}, {@code split-*.ext} and {@code split_*.ext}, any compression. */
  static Predicate<String> splitFile(String split, String ext) {
    return n -> {
      String b = stripCompression(n);
      if (!b.endsWith("." + ext)) {
        return false;
      }
      String stem = b.substring(0, b.length() - ext.length() - 1);
      return stem.equals(split) || stem.startsWith(split + "-") || stem.startsWith(split + "_");
    };
  }

  static String stripCompression(String n) {
    for (String ext : new String[] {".gz", ".zst", ".zstd"}) {
      if (n.endsWith(ext)) {
        return n.substring(0, n.length() - ext.length());
      }
    }
    return n;
  }

  /** Recently read whole files (MMLU's all/ config is read once per subject and split). */
  private static final Map<String, List<Row>> RECENT =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Row>> eldest) {
          return size() > 4;
        }
      };

  static List<Row> readRows(Path file, int limit) {
    if (limit >= 0) {
      return read(file, limit);
    }
    String key;
    try {
      key =
          file.toAbsolutePath()
              + "|"
              + Files.size(file)
              + "|"
              + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat " + file, e);
    }
    synchronized (RECENT) {
      List<Row> cached = RECENT.get(key);
      if (cached != null) {
        return cached;
      }
    }
    List<Row> rows = List.copyOf(read(file, -1));
    synchronized (RECENT) {
      RECENT.put(key, rows);
    }
    return rows;
  }

  private static List<Row> read(Path file, int limit) {
    String b = stripCompression(file.getFileName().toString());
    if (b.endsWith(".parquet")) {
      return ParquetRows.read(file, limit);
    }
    return JsonLines.read(file, limit);
  }
}
