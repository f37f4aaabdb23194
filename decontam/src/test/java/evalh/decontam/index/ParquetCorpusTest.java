package evalh.decontam.index;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.check.CheckItem;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.DocHit;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.corpus.ParquetCorpusReader;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import evalh.tasks.data.ParquetCodecs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ParquetCorpusTest {
  @TempDir Path tmp;

  static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message doc { required binary id (STRING); optional binary text (STRING); optional double score; }");

  public static Path write(Path file, List<String> texts, CompressionCodecName codec)
      throws Exception {
    SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withConf(new PlainParquetConfiguration())
            .withCodecFactory(new ParquetCodecs())
            .withType(SCHEMA)
            .withCompressionCodec(codec)
            .withRowGroupSize(64 * 1024L)
            .build()) {
      for (int i = 0; i < texts.size(); i++) {
        Group g = f.newGroup().append("id", "row-" + i).append("score", 0.5);
        if (texts.get(i) != null) {
          g.append("text", texts.get(i));
        }
        w.write(g);
      }
    }
    return file;
  }

  @Test
  void readsTextAndIdColumnsCountsNullsAndKeepsRowNumbers() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      texts.add(i % 100 == 7 ? null : "row " + i + " of the parquet corpus says hello world");
    }
    texts.set(1234, "the mitochondria is the powerhouse of the cell and makes energy");
    Path file = write(tmp.resolve("shard.parquet"), texts, CompressionCodecName.ZSTD);
    FileStats st = new FileStats();
    List<CorpusDoc> docs = new ArrayList<>();
    new ParquetCorpusReader(List.of("text"), "id").read(file, d -> docs.add(d), st);
    assertThat(st.records).isEqualTo(3000);
    assertThat(st.missingText).isEqualTo(30);
    assertThat(st.docs).isEqualTo(2970);
    CorpusDoc d = docs.stream().filter(x -> x.position() == 1234).findFirst().orElseThrow();
    assertThat(d.id()).isEqualTo("row-1234");
    assertThat(d.text()).startsWith("the mitochondria");

    Path idx = tmp.resolve("idx");
    NgramScheme scheme = new NgramScheme(Normalization.JANITOR, 5, 1);
    new CorpusIndexer(
            idx,
            new BuildOptions(scheme, List.of("text"), "id", 1, 16),
            new PrintWriter(new StringWriter()))
        .build(List.of(file));
    try (NgramIndex index = NgramIndex.open(idx)) {
      ItemMatch m =
          new ItemChecker(index, CheckSettings.defaults(), new PrintWriter(new StringWriter()))
              .check(
                  List.of(
                      CheckItem.multipleChoice(
                          "bio",
                          0,
                          "Which organelle is the powerhouse of the cell?",
                          List.of("mitochondria", "nucleus"),
                          0)))
              .getFirst();
      assertThat(m.dirty()).isTrue();
      DocHit h = m.topDocs().getFirst();
      assertThat(h.parquet()).isTrue();
      assertThat(h.position()).isEqualTo(1234);
      assertThat(h.id()).isEqualTo("row-1234");
      assertThat(h.snippet()).contains("powerhouse of the cell");
      assertThat(m.answerLeak())
          .as("'mitochondria' is in the document, outside the matched question")
          .isTrue();
    }
  }

  @Test
  void truncatedOrMissingColumnIsCountedNotThrown() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      texts.add("some row text number " + i);
    }
    Path file = write(tmp.resolve("full.parquet"), texts, CompressionCodecName.SNAPPY);
    byte[] all = Files.readAllBytes(file);
    Path cut = tmp.resolve("cut.parquet");
    Files.write(cut, Arrays.copyOf(all, all.length / 2));
    FileStats st = new FileStats();
    new ParquetCorpusReader(List.of("text"), "id").read(cut, d -> true, st);
    assertThat(st.truncated).contains("truncated");

    FileStats st2 = new FileStats();
    new ParquetCorpusReader(List.of("content"), "id").read(file, d -> true, st2);
    assertThat(st2.missingText).isEqualTo(5000);
    assertThat(st2.firstError).contains("no string column content");
  }
}
