package evalh.tasks;

import evalh.tasks.data.ParquetCodecs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Writes parquet test files with parquet-mr's example writer, in the HF/pyarrow schema shape. */
public final class TestParquet {
  static final MessageType MMLU =
      MessageTypeParser.parseMessageType(
          "message schema { optional binary question (STRING); optional binary subject (STRING);"
              + " optional group choices (LIST) { repeated group list {"
              + " optional binary element (STRING); } } optional int64 answer; }");

  private TestParquet() {}

  /**
   * Writes rows of nested values as pyarrow lays them out: a map is a group (a struct), a list a
   * 3-level LIST group of {@code element}s, strings and integers are primitives; null is absent.
   */
  public static void writeNested(Path file, MessageType schema, List<Map<String, Object>> rows)
      throws IOException {
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withConf(new PlainParquetConfiguration())
            .withCodecFactory(new ParquetCodecs())
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withType(schema)
            .build()) {
      SimpleGroupFactory f = new SimpleGroupFactory(schema);
      for (Map<String, Object> row : rows) {
        Group g = f.newGroup();
        fill(g, row);
        w.write(g);
      }
    }
  }

  private static void fill(Group g, Map<?, ?> values) {
    for (Map.Entry<?, ?> e : values.entrySet()) {
      add(g, (String) e.getKey(), e.getValue());
    }
  }

  private static void add(Group g, String field, Object v) {
    switch (v) {
      case null -> {}
      case Map<?, ?> m -> fill(g.addGroup(field), m);
      case List<?> l -> {
        Group list = g.addGroup(field);
        for (Object o : l) {
          add(list.addGroup("list"), "element", o);
        }
      }
      case Long n -> g.add(field, n);
      case Integer n -> g.add(field, (long) n);
      default -> g.add(field, v.toString());
    }
  }

  static void write(
      Path file, MessageType schema, CompressionCodecName codec, List<Map<String, Object>> rows)
      throws IOException {
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withConf(new PlainParquetConfiguration())
            .withCodecFactory(new ParquetCodecs())
            .withCompressionCodec(codec)
            .withType(schema)
            .build()) {
      SimpleGroupFactory f = new SimpleGroupFactory(schema);
      for (Map<String, Object> row : rows) {
        Group g = f.newGroup();
        for (Map.Entry<String, Object> e : row.entrySet()) {
          Object v = e.getValue();
          if (v instanceof List<?> l) {
            Group list = g.addGroup(e.getKey());
            for (Object o : l) {
              list.addGroup("list").add("element", (String) o);
            }
          } else if (v instanceof Long n) {
            g.add(e.getKey(), n);
          } else if (v instanceof Integer n) {
            g.add(e.getKey(), (long) n);
          } else if (v != null) {
            g.add(e.getKey(), v.toString());
          }
        }
        w.write(g);
      }
    }
  }
}
