package evalh.tasks.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the rows of a local parquet file (as HF {@code datasets}/pyarrow write them) into plain
 * Java values: strings, longs, doubles, booleans and lists (the 3-level LIST encoding).
 */
public final class ParquetRows {
  private ParquetRows() {}

  /** Reads up to {@code limit} rows ({@code limit < 0}: all). */
  public static List<Row> read(Path file, int limit) {
    List<Row> rows = new ArrayList<>();
    ParquetReadOptions options =
        ParquetReadOptions.builder(new PlainParquetConfiguration())
            .withCodecFactory(new ParquetCodecs())
            .build();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      PageReadStore rg;
      long index = 0;
      while ((limit < 0 || rows.size() < limit) && (rg = reader.readNextRowGroup()) != null) {
        RecordReader<Group> rr =
            new ColumnIOFactory()
                .getColumnIO(schema)
                .getRecordReader(rg, new GroupRecordConverter(schema));
        for (long i = 0; i < rg.getRowCount() && (limit < 0 || rows.size() < limit); i++) {
          Group g = rr.read();
          rows.add(new Row(toMap(g, g.getType()), file + ": row " + index));
          index++;
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new DataFormatException(
          file + ": cannot read parquet after " + rows.size() + " rows: " + e.getMessage(), e);
    }
    return rows;
  }

  private static Map<String, Object> toMap(Group g, GroupType type) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int f = 0; f < type.getFieldCount(); f++) {
      Type ft = type.getType(f);
      int n = g.getFieldRepetitionCount(f);
      if (ft.isRepetition(Type.Repetition.REPEATED)) {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          l.add(value(g, f, i, ft));
        }
        m.put(ft.getName(), l);
      } else {
        m.put(ft.getName(), n == 0 ? null : value(g, f, 0, ft));
      }
    }
    return m;
  }

  private static Object value(Group g, int field, int index, Type t) {
    if (t.isPrimitive()) {
      PrimitiveType p = t.asPrimitiveType();
      return switch (p.getPrimitiveTypeName()) {
        case BINARY, FIXED_LEN_BYTE_ARRAY -> g.getString(field, index);
        case INT32 -> (long) g.getInteger(field, index);
        case INT64 -> g.getLong(field, index);
        case FLOAT -> (double) g.getFloat(field, index);
        case DOUBLE -> g.getDouble(field, index);
        case BOOLEAN -> g.getBoolean(field, index);
        default -> g.getValueToString(field, index);
      };
    }
    Group child = g.getGroup(field, index);
    GroupType ct = t.asGroupType();
    if (ct.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
      List<Object> l = new ArrayList<>();
      if (ct.getFieldCount() == 1) {
        Type rep = ct.getType(0);
        int n = child.getFieldRepetitionCount(0);
        for (int i = 0; i < n; i++) {
          if (rep.isPrimitive()) {
            l.add(value(child, 0, i, rep));
          } else {
            Group elem = child.getGroup(0, i);
            GroupType et = rep.asGroupType();
            if (et.getFieldCount() == 1) {
              l.add(elem.getFieldRepetitionCount(0) == 0 ? null : value(elem, 0, 0, et.getType(0)));
            } else {
              l.add(toMap(elem, et));
            }
          }
        }
      }
      return l;
    }
    return toMap(child, ct);
  }
}
