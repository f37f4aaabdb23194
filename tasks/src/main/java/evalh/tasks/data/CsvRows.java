package evalh.tasks.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CSV: header-less (the original Hendrycks MMLU files: {@code question,A,B,C,D,answer}),
 * naming the columns as given, or with a header row. A record with another number of fields is an
 * error.
 */
public final class CsvRows {
  private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

  private CsvRows() {}

  /** Reads CSV whose first record names the columns (as HF CSV datasets ship). */
  public static List<Row> readWithHeader(Path file) {
    return read(file, null);
  }

  /**
   * Reads header-less CSV whose columns are {@code columns}; null: the first record is the header.
   */
  public static List<Row> read(Path file, List<String> columns) {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = CompressedFiles.open(file);
        MappingIterator<List<String>> it = CSV.readerForListOf(String.class).readValues(in)) {
      while (it.hasNextValue()) {
        List<String> rec = it.nextValue();
        int line = it.getCurrentLocation().getLineNr();
        String loc = file + ":record " + (rows.size() + 1) + " (line " + line + ")";
        if (rec.size() == 1 && rec.get(0).isEmpty()) {
          continue;
        }
        if (columns == null) {
          columns = List.copyOf(rec);
          if (columns.stream().distinct().count() != columns.size()) {
            throw new DataFormatException(loc + ": repeated column name in header " + columns);
          }
          continue;
        }
        if (rec.size() != columns.size()) {
          throw new DataFormatException(
              loc
                  + ": expected "
                  + columns.size()
                  + " fields "
                  + columns
                  + ", found "
                  + rec.size());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          m.put(columns.get(i), rec.get(i));
        }
        rows.add(new Row(m, loc));
      }
    } catch (DataFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new DataFormatException(
          file + ": CSV read failed after record " + rows.size() + ": " + e.getMessage(), e);
    }
    return rows;
  }
}
