package evalh.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.tasks.data.DataFormatException;
import evalh.tasks.data.DataRoot;
import evalh.tasks.data.Loaded;
import evalh.tasks.data.MissingDatasetException;
import evalh.tasks.data.TextData;
import evalh.tasks.data.TextDoc;
import evalh.tasks.data.WikitextPages;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextDataTest {
  @TempDir Path root;

  private static final Map<String, String> PALOMA = Map.of("kind", "paloma", "source", "ptb");

  private Path palomaDir() throws Exception {
    return Files.createDirectories(root.resolve("allenai/paloma/ptb/val"));
  }

  private static byte[] gzip(String s) throws Exception {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (OutputStream g = new GZIPOutputStream(bo)) {
      g.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return bo.toByteArray();
  }

  @Test
  void palomaShardsInNameOrderWithLimitAndEmptyDocsSkipped() throws Exception {
    Path d = palomaDir();
    Files.write(
        d.resolve("val_0.jsonl.gz"), gzip("{\"text\":\"one\",\"id\":\"a\"}\n{\"text\":\"\"}\n"));
    Files.write(d.resolve("val_1.jsonl.gz"), gzip("{\"text\":\"two\"}\n{\"text\":\"three\"}\n"));
    Loaded<TextDoc> all = TextData.load(DataRoot.of(root), PALOMA, "val", "text", -1);
    assertThat(all.docs()).extracting(TextDoc::text).containsExactly("one", "two", "three");
    assertThat(all.docs()).extracting(TextDoc::docId).containsExactly(0, 2, 3);
    assertThat(all.docs().get(0).doc()).containsEntry("id", "a");
    assertThat(all.skips())
        .singleElement()
        .satisfies(s -> assertThat(s.location()).endsWith("val_0.jsonl.gz:2"));
    assertThat(TextData.load(DataRoot.of(root), PALOMA, "val", "text", 2).docs())
        .extracting(TextDoc::text)
        .containsExactly("one", "two");
  }

  @Test
  void missingTextFieldMalformedLineAndTruncatedGzipAreErrors() throws Exception {
    Path d = palomaDir();
    Files.write(d.resolve("val_0.jsonl.gz"), gzip("{\"txt\":\"one\"}\n"));
    assertThatThrownBy(() -> TextData.load(DataRoot.of(root), PALOMA, "val", "text", -1))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("val_0.jsonl.gz:1: missing field 'text'");
    Files.write(d.resolve("val_0.jsonl.gz"), gzip("{\"text\":\"one\"}\n{\"text\": \n"));
    assertThatThrownBy(() -> TextData.load(DataRoot.of(root), PALOMA, "val", "text", -1))
        .hasMessageContaining("val_0.jsonl.gz:2: malformed JSON");
    byte[] full = gzip("{\"text\":\"" + "x".repeat(5000) + "\"}\n".repeat(50));
    Files.write(d.resolve("val_0.jsonl.gz"), Arrays.copyOf(full, full.length - 12));
    assertThatThrownBy(() -> TextData.load(DataRoot.of(root), PALOMA, "val", "text", -1))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("truncated or corrupt");
  }

  @Test
  void missingDatasetsSayHowToDownload() {
    assertThatThrownBy(() -> TextData.load(DataRoot.of(root), PALOMA, "val", "text", -1))
        .isInstanceOf(MissingDatasetException.class)
        .hasMessageContaining(
            "huggingface-cli download allenai/paloma --repo-type dataset --include 'ptb/*'"
                + " --local-dir "
                + root
                + "/allenai/paloma");
    assertThatThrownBy(
            () ->
                TextData.load(
                    DataRoot.of(root),
                    Map.of("kind", "c4", "variant", "en"),
                    "validation",
                    "text",
                    -1))
        .hasMessageContaining(
            "huggingface-cli download allenai/c4 --repo-type dataset --include"
                + " 'en/c4-validation.*' --local-dir "
                + root
                + "/allenai/c4");
    assertThatThrownBy(
            () ->
                TextData.load(
                    DataRoot.of(root),
                    Map.of("kind", "wikitext", "config", "wikitext-2-raw-v1"),
                    "test",
                    "page",
                    -1))
        .hasMessageContaining(
            "huggingface-cli download EleutherAI/wikitext_document_level --repo-type dataset"
                + " --include 'wikitext-2-raw-v1/*' --local-dir "
                + root
                + "/EleutherAI/wikitext_document_level")
        .hasMessageContaining("huggingface-cli download Salesforce/wikitext");
  }

  @Test
  void c4ValidationShards() throws Exception {
    Path d = Files.createDirectories(root.resolve("allenai/c4/en"));
    Files.write(
        d.resolve("c4-validation.00000-of-00008.json.gz"),
        gzip("{\"text\":\"a\",\"timestamp\":\"t\",\"url\":\"u\"}\n"));
    Files.write(d.resolve("c4-train.00000-of-01024.json.gz"), gzip("{\"text\":\"train\"}\n"));
    assertThat(
            TextData.load(
                    DataRoot.of(root),
                    Map.of("kind", "c4", "variant", "en"),
                    "validation",
                    "text",
                    -1)
                .docs())
        .extracting(TextDoc::text)
        .containsExactly("a");
  }

  @Test
  void wikitextPagesSplitAsDocumentLevelDataset() {
    String raw = " \n = Alpha = \n \n Text a . \n = = Sub = = \n more \n = Beta = \n b \n";
    assertThat(WikitextPages.split(raw))
        .containsExactly(" = Alpha = \n \n Text a . \n = = Sub = = \n more ", " = Beta = \n b \n");
  }

  @Test
  void wikitextFromRawFileAndDocumentLevelParquet() throws Exception {
    Path rawDir = Files.createDirectories(root.resolve("wikitext/wikitext-2-raw"));
    Files.writeString(rawDir.resolve("wiki.test.raw"), " = A = \n x @-@ y \n = B = \n z \n");
    Map<String, String> ds = Map.of("kind", "wikitext", "config", "wikitext-2-raw-v1");
    assertThat(TextData.load(DataRoot.of(root), ds, "test", "page", -1).docs())
        .extracting(TextDoc::text)
        .containsExactly(" = A = \n x @-@ y ", " = B = \n z \n");
    Path pq =
        Files.createDirectories(
            root.resolve("EleutherAI/wikitext_document_level/wikitext-2-raw-v1"));
    TestParquet.write(
        pq.resolve("test-00000-of-00001.parquet"),
        MessageTypeParser.parseMessageType("message m { optional binary page (STRING); }"),
        CompressionCodecName.SNAPPY,
        List.of(Map.of("page", " = P = \n q \n")));
    assertThat(TextData.load(DataRoot.of(root), ds, "test", "page", -1).docs())
        .extracting(TextDoc::text)
        .containsExactly(" = P = \n q \n");
  }
}
