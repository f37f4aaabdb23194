package evalh.tasks.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one split of a HF dataset repository as {@code huggingface-cli download <dataset_path>
 * --repo-type dataset --local-dir <data>/<dataset_path>} leaves it. The split's files are found by
 * name and read by format, not by benchmark:
 *
 * <ul>
 *   <li>folder: {@code <dataset_path>/<dataset_name>/} (e.g. {@code
 *       allenai/ai2_arc/ARC-Easy/test-00000-of-00001.parquet}); without a {@code dataset_name}: the
 *       first of {@code <dataset_path>/data/}, {@code <dataset_path>/default/} and {@code
 *       <dataset_path>/} that holds the split;
 *   <li>files: {@code <split>.<ext>}, {@code <split>-*.<ext>} or {@code <split>_*.<ext>}, in name
 *       order, with the first of the formats parquet, JSONL ({@code .jsonl}, {@code .json} lines),
 *       CSV (a header row) that has any; each may be gzip- or zstd-compressed.
 * </ul>
 *
 * <p>Rows are kept as read, in file order, none skipped (lm-eval skips none either). CSV has no
 * types: a column whose values all parse as integers becomes integers, else one whose values all
 * parse as numbers becomes floats, as pandas reads it for {@code datasets}; an empty cell is null.
 */
public final class HfData {
  private static final List<String> FORMATS = List.of("parquet", "jsonl", "json", "csv");

  private HfData() {}

  public static Loaded<HfDoc> load(DataRoot root, String path, String name, String split) {
    Path repo = root.path().resolve(path);
    List<Path> dirs =
        name != null
            ? List.of(repo.resolve(name))
            : List.of(repo.resolve("data"), repo.resolve("default"), repo);
    List<Path> files = List.of();
    String format = null;
    for (Path dir : dirs) {
      for (String ext : FORMATS) {
        files = DatasetFiles.list(dir, DatasetFiles.splitFile(split, ext));
        if (!files.isEmpty()) {
          format = ext;
          break;
        }
      }
      if (format != null) {
        break;
      }
    }
    if (format == null) {
      throw new MissingDatasetException(missing(root, path, name, split, dirs));
    }
    List<HfDoc> docs = new ArrayList<>();
    for (Path f : files) {
      List<Row> rows =
          switch (format) {
            case "parquet" -> ParquetRows.read(f, -1);
            case "csv" -> typed(CsvRows.readWithHeader(f));
            default -> JsonLines.read(f, -1);
          };
      for (Row r : rows) {
        docs.add(new HfDoc(docs.size(), r.values(), r.location()));
      }
    }
    if (docs.isEmpty()) {
      throw new DataFormatException(
          path
              + (name != null ? " " + name : "")
              + " split '"
              + split
              + "' has no rows in "
              + files);
    }
    return new Loaded<>(List.copyOf(docs), List.of(), files.stream().map(Path::toString).toList());
  }

  /** Column types of header CSV, as pandas infers them (int64, float64, else str). */
  private static List<Row> typed(List<Row> rows) {
    if (rows.isEmpty()) {
      return rows;
    }
    Map<String, String> kinds = new LinkedHashMap<>();
    for (String col : rows.get(0).values().keySet()) {
      boolean ints = true;
      boolean nums = true;
      for (Row r : rows) {
        String v = (String) r.values().get(col);
        if (v == null || v.isEmpty()) {
          continue;
        }
        ints &= v.matches("[+-]?[0-9]+") && fitsLong(v);
        nums &= isNumber(v);
      }
      kinds.put(col, ints ? "int" : nums ? "float" : "str");
    }
    List<Row> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : r.values().entrySet()) {
        String v = (String) e.getValue();
        Object o =
            v == null || v.isEmpty()
                ? null
                : switch (kinds.get(e.getKey())) {
                  case "int" -> Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
                  case "float" -> Double.parseDouble(v);
                  default -> v;
                };
        m.put(e.getKey(), o);
      }
      out.add(new Row(m, r.location()));
    }
    return out;
  }

  private static boolean fitsLong(String v) {
    try {
      Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isNumber(String v) {
    if (!v.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
      return false;
    }
    return Double.isFinite(Double.parseDouble(v));
  }

  static String missing(DataRoot root, String path, String name, String split, List<Path> dirs) {
    String dir = root.sample() ? "$EVALH_DATA" : root.path().toString();
    return path
        + (name != null ? " '" + name + "'" : "")
        + " split '"
        + split
        + "' not found in "
        + root.display()
        + " (looked for "
        + split
        + "[-_]*.parquet|.jsonl|.json|.csv in "
        + dirs.stream().map(d -> root.path().relativize(d).toString() + "/").toList()
        + "). Download it with:\n  huggingface-cli download "
        + path
        + " --repo-type dataset"
        + (name != null ? " --include '" + name + "/*'" : "")
        + " --local-dir "
        + dir
        + "/"
        + path;
  }
}
