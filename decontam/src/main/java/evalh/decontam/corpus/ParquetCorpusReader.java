package evalh.decontam.corpus;

import evalh.tasks.data.ParquetCodecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Parquet corpora (DCLM, FineMath, FineWeb layouts: one document per row with a string text
 * column). Only the text and id columns are read (projection). Rows without the text value are
 * counted; a truncated or corrupt file ends with everything decoded so far kept. Hadoop-free: page
 * codecs (snappy, zstd, gzip) come from the tasks module's {@link ParquetCodecs}, the same reader
 * stack the benchmark data loader uses.
 */
public final class ParquetCorpusReader implements CorpusReader {
  private final List<String> textFields;
  private final String idField;

  public ParquetCorpusReader(List<String> textFields, String idField) {
    this.textFields = List.copyOf(textFields);
    this.idField = idField;
  }

  @Override
  public void read(CorpusFile file, DocConsumer sink, FileStats stats) throws IOException {
    if (file.localPath() != null && !Files.isReadable(file.localPath())) {
      throw new IOException("cannot read " + file.path());
    }
    ParquetFileReader reader;
    try {
      reader =
          ParquetFileReader.open(
              file.parquet(),
              ParquetReadOptions.builder(new PlainParquetConfiguration())
                  .withCodecFactory(new ParquetCodecs())
                  .build());
    } catch (IOException | RuntimeException e) {
      stats.truncated = "not a readable parquet file (truncated?): " + e.getMessage();
      return;
    }
    try (ParquetFileReader r = reader) {
      MessageType schema = r.getFooter().getFileMetaData().getSchema();
      List<Type> wanted = new ArrayList<>();
      List<String> present = new ArrayList<>();
      for (String f : textFields) {
        if (isStringColumn(schema, f)) {
          wanted.add(schema.getType(f));
          present.add(f);
        }
      }
      if (present.isEmpty()) {
        stats.records = r.getRecordCount();
        stats.missingText = stats.records;
        stats.error(
            "no string column "
                + String.join("/", textFields)
                + " in schema "
                + schema.getFields());
        return;
      }
      boolean hasId =
          idField != null
              && schema.containsField(idField)
              && schema.getType(idField).isPrimitive()
              && !present.contains(idField);
      if (hasId) {
        wanted.add(schema.getType(idField));
      }
      MessageType projection = new MessageType(schema.getName(), wanted);
      r.setRequestedSchema(projection);
      MessageColumnIO io = new ColumnIOFactory().getColumnIO(projection);
      long row = 0;
      try {
        PageReadStore pages;
        while ((pages = r.readNextRowGroup()) != null) {
          RecordReader<Group> rr = io.getRecordReader(pages, new GroupRecordConverter(projection));
          long rows = pages.getRowCount();
          for (long i = 0; i < rows; i++, row++) {
            Group g = rr.read();
            stats.records++;
            if (!accept(g, present, hasId, row, sink, stats)) {
              return;
            }
          }
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      } catch (IOException | RuntimeException e) {
        stats.truncated = "unreadable after row " + row + ": " + e;
      }
    }
  }

  private static boolean isStringColumn(MessageType schema, String f) {
    if (!schema.containsField(f)) {
      return false;
    }
    Type t = schema.getType(f);
    return t.isPrimitive()
        && t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
        && t.getRepetition() != Type.Repetition.REPEATED;
  }

  private boolean accept(
      Group g, List<String> present, boolean hasId, long row, DocConsumer sink, FileStats stats) {
    StringBuilder text = null;
    for (String f : present) {
      if (g.getFieldRepetitionCount(f) > 0) {
        String s = g.getString(f, 0);
        if (text == null) {
          text = new StringBuilder(s);
        } else {
          text.append('\n').append(s);
        }
      }
    }
    if (text == null) {
      stats.missingText++;
      stats.error("row " + row + ": null " + String.join("/", present));
      return true;
    }
    if (text.isEmpty()) {
      stats.emptyText++;
      return true;
    }
    String id =
        hasId && g.getFieldRepetitionCount(idField) > 0
            ? g.getValueToString(g.getType().getFieldIndex(idField), 0)
            : null;
    String t = text.toString();
    stats.docs++;
    stats.textChars += t.length();
    try {
      return sink.accept(new CorpusDoc(row, -1, id, t));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
