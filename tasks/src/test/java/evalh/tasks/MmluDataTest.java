package evalh.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import evalh.tasks.data.DataFormatException;
import evalh.tasks.data.DataRoot;
import evalh.tasks.data.Loaded;
import evalh.tasks.data.MissingDatasetException;
import evalh.tasks.data.MmluData;
import evalh.tasks.data.MmluDoc;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MmluDataTest {
  @TempDir Path root;

  private static Map<String, Object> item(String q, String subject, int answer) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("question", q);
    m.put("subject", subject);
    m.put("choices", List.of(q + " a", q + " b", q + " c", q + " d"));
    m.put("answer", (long) answer);
    return m;
  }

  private Path dir(String... parts) throws Exception {
    Path d = root.resolve(Path.of("cais", parts));
    Files.createDirectories(d);
    return d;
  }

  @ParameterizedTest
  @EnumSource(
      value = CompressionCodecName.class,
      names = {"SNAPPY", "ZSTD", "GZIP", "UNCOMPRESSED"})
  void readsHfParquetPerSubject(CompressionCodecName codec) throws Exception {
    Path d = dir("mmlu", "anatomy");
    TestParquet.write(
        d.resolve("test-00000-of-00001.parquet"),
        TestParquet.MMLU,
        codec,
        List.of(item("Q0", "anatomy", 2), item("Q1 é ✓", "anatomy", 0)));
    Loaded<MmluDoc> l = MmluData.load(DataRoot.of(root), "anatomy", "test");
    assertThat(l.docs())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("location")
        .containsExactly(
            new MmluDoc(0, "anatomy", "Q0", List.of("Q0 a", "Q0 b", "Q0 c", "Q0 d"), 2, ""),
            new MmluDoc(
                1,
                "anatomy",
                "Q1 é ✓",
                List.of("Q1 é ✓ a", "Q1 é ✓ b", "Q1 é ✓ c", "Q1 é ✓ d"),
                0,
                ""));
    assertThat(l.docs().get(1).location()).endsWith("test-00000-of-00001.parquet: row 1");
    assertThat(l.skips()).isEmpty();
  }

  @Test
  void readsAllConfigFilteredBySubjectWithShardsInOrder() throws Exception {
    Path d = dir("mmlu", "all");
    TestParquet.write(
        d.resolve("test-00000-of-00002.parquet"),
        TestParquet.MMLU,
        CompressionCodecName.SNAPPY,
        List.of(item("A0", "anatomy", 1), item("V0", "virology", 0), item("A1", "anatomy", 3)));
    TestParquet.write(
        d.resolve("test-00001-of-00002.parquet"),
        TestParquet.MMLU,
        CompressionCodecName.SNAPPY,
        List.of(item("A2", "anatomy", 2)));
    List<MmluDoc> docs = MmluData.load(DataRoot.of(root), "anatomy", "test").docs();
    assertThat(docs).extracting(MmluDoc::question).containsExactly("A0", "A1", "A2");
    assertThat(docs).extracting(MmluDoc::docId).containsExactly(0, 1, 2);
    assertThat(docs).extracting(MmluDoc::answer).containsExactly(1, 3, 2);
  }

  @Test
  void readsJsonlGzipAndZstd() throws Exception {
    String line =
        "{\"question\":\"Why?\",\"subject\":\"virology\",\"choices\":[\"a\",\"b\",\"c\",\"d\"],"
            + "\"answer\":3}\n";
    Path d = dir("mmlu", "virology");
    gzip(d.resolve("test.jsonl.gz"), (line + "\n" + line).getBytes(StandardCharsets.UTF_8));
    zstd(d.resolve("dev.jsonl.zst"), line.getBytes(StandardCharsets.UTF_8));
    assertThat(MmluData.load(DataRoot.of(root), "virology", "test").docs())
        .hasSize(2)
        .allSatisfy(x -> assertThat(x.answer()).isEqualTo(3));
    assertThat(MmluData.load(DataRoot.of(root), "virology", "dev").docs())
        .singleElement()
        .satisfies(x -> assertThat(x.choices()).containsExactly("a", "b", "c", "d"));
  }

  @Test
  void readsHendrycksCsvWithLetterAnswersAndQuotedFields() throws Exception {
    Path d = root.resolve("hendrycks_test/data/val");
    Files.createDirectories(d);
    Files.writeString(
        d.resolve("nutrition_val.csv"),
        "\"Which is, in fact, a vitamin?\",Iron,\"Vitamin \"\"C\"\"\",Salt,Water,B\n"
            + "\"Two\nlines\",w,x,y,z,D\n");
    List<MmluDoc> docs = MmluData.load(DataRoot.of(root), "nutrition", "validation").docs();
    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).question()).isEqualTo("Which is, in fact, a vitamin?");
    assertThat(docs.get(0).choices()).containsExactly("Iron", "Vitamin \"C\"", "Salt", "Water");
    assertThat(docs.get(0).answer()).isEqualTo(1);
    assertThat(docs.get(1).question()).isEqualTo("Two\nlines");
    assertThat(docs.get(1).answer()).isEqualTo(3);
  }

  @Test
  void missingDatasetSaysHowToDownload() {
    assertThatThrownBy(() -> MmluData.load(DataRoot.of(root), "anatomy", "test"))
        .isInstanceOf(MissingDatasetException.class)
        .hasMessageContaining(
            "huggingface-cli download cais/mmlu --repo-type dataset --local-dir "
                + root
                + "/cais/mmlu");
  }

  @Test
  void missingColumnIsAnErrorNamingFileAndRow() throws Exception {
    Path d = dir("mmlu", "anatomy");
    TestParquet.write(
        d.resolve("test-00000-of-00001.parquet"),
        MessageTypeParser.parseMessageType(
            "message schema { optional binary question (STRING); optional int64 answer; }"),
        CompressionCodecName.SNAPPY,
        List.of(Map.of("question", "Q", "answer", 1L)));
    assertThatThrownBy(() -> MmluData.load(DataRoot.of(root), "anatomy", "test"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("test-00000-of-00001.parquet: row 0")
        .hasMessageContaining("missing column 'choices'");
  }

  @Test
  void answerOutOfRangeAndBlankQuestionAreCountedSkips() throws Exception {
    Path d = dir("mmlu", "anatomy");
    Files.writeString(
        d.resolve("test.jsonl"),
        """
        {"question":"ok","choices":["a","b","c","d"],"answer":0}
        {"question":"bad","choices":["a","b","c","d"],"answer":4}
        {"question":"  ","choices":["a","b","c","d"],"answer":1}
        {"question":"three","choices":["a","b","c"],"answer":1}
        {"question":"ok2","choices":["a","b","c","d"],"answer":"C"}
        """);
    Loaded<MmluDoc> l = MmluData.load(DataRoot.of(root), "anatomy", "test");
    assertThat(l.docs()).extracting(MmluDoc::docId).containsExactly(0, 4);
    assertThat(l.docs().get(1).answer()).isEqualTo(2);
    assertThat(l.skips()).hasSize(3);
    assertThat(l.skips().get(0).location()).endsWith("test.jsonl:2");
    assertThat(l.skips().get(0).reason()).contains("answer '4'");
    assertThat(l.skips().get(1).reason()).contains("blank question");
    assertThat(l.skips().get(2).reason()).contains("3 choices");
  }

  @Test
  void malformedJsonlLineIsAnErrorWithLineNumber() throws Exception {
    Path d = dir("mmlu", "anatomy");
    Files.writeString(
        d.resolve("test.jsonl"),
        "{\"question\":\"ok\",\"choices\":[\"a\",\"b\",\"c\",\"d\"],\"answer\":0}\n{\"question\": oops\n");
    assertThatThrownBy(() -> MmluData.load(DataRoot.of(root), "anatomy", "test"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("test.jsonl:2: malformed JSON");
  }

  @Test
  void truncatedGzipIsAnError() throws Exception {
    Path d = dir("mmlu", "anatomy");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      sb.append("{\"question\":\"q")
          .append(i)
          .append("\",\"choices\":[\"a\",\"b\",\"c\",\"d\"],\"answer\":0}\n");
    }
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (OutputStream g = new GZIPOutputStream(bo)) {
      g.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] all = bo.toByteArray();
    Files.write(d.resolve("test.jsonl.gz"), Arrays.copyOf(all, all.length / 2));
    assertThatThrownBy(() -> MmluData.load(DataRoot.of(root), "anatomy", "test"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("test.jsonl.gz")
        .hasMessageContaining("truncated or corrupt");
  }

  @Test
  void emptySubjectIsAnError() throws Exception {
    Path d = dir("mmlu", "all");
    TestParquet.write(
        d.resolve("test-00000-of-00001.parquet"),
        TestParquet.MMLU,
        CompressionCodecName.SNAPPY,
        List.of(item("V0", "virology", 0)));
    assertThatThrownBy(() -> MmluData.load(DataRoot.of(root), "anatomy", "test"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("has no items")
        .hasMessageContaining("no row has subject 'anatomy'");
    Files.createDirectories(root.resolve("cais/mmlu/virology"));
    Files.writeString(root.resolve("cais/mmlu/virology/test.jsonl"), "\n\n");
    assertThatThrownBy(() -> MmluData.load(DataRoot.of(root), "virology", "test"))
        .hasMessageContaining("has no items");
  }

  /** Reliability #5: test.jsonl beside test.jsonl.gz doubled n; now an error naming both. */
  @Test
  void sameSplitInTwoFilesIsAnErrorNamingBoth() throws Exception {
    String line =
        "{\"question\":\"Why?\",\"subject\":\"virology\",\"choices\":[\"a\",\"b\",\"c\",\"d\"],"
            + "\"answer\":1}\n";
    Path d = dir("mmlu", "virology");
    Files.writeString(d.resolve("test.jsonl"), line + line);
    gzip(d.resolve("test.jsonl.gz"), (line + line).getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> MmluData.load(DataRoot.of(root), "virology", "test"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("ambiguous data files")
        .hasMessageContaining(d.resolve("test.jsonl").toString())
        .hasMessageContaining(d.resolve("test.jsonl.gz").toString());
    Files.delete(d.resolve("test.jsonl.gz"));
    assertThat(MmluData.load(DataRoot.of(root), "virology", "test").docs()).hasSize(2);
    // a parquet file beside the JSONL of the same split: also ambiguous (parquet used to win)
    TestParquet.write(
        d.resolve("test.parquet"),
        TestParquet.MMLU,
        CompressionCodecName.UNCOMPRESSED,
        List.of(item("Q0", "virology", 2)));
    assertThatThrownBy(() -> MmluData.load(DataRoot.of(root), "virology", "test"))
        .hasMessageContaining(d.resolve("test.parquet").toString())
        .hasMessageContaining(d.resolve("test.jsonl").toString());
  }

  private static void gzip(Path p, byte[] data) throws Exception {
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
      o.write(data);
    }
  }

  private static void zstd(Path p, byte[] data) throws Exception {
    try (OutputStream o = new ZstdOutputStream(Files.newOutputStream(p))) {
      o.write(data);
    }
  }
}
