package evalh.decontam.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import evalh.decontam.analysis.NgramAnalyzer;
import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import evalh.decontam.text.TokenBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final NgramScheme SCHEME = new NgramScheme(Normalization.JANITOR, 3, 1);

  @TempDir Path tmp;
  final StringWriter log = new StringWriter();

  static String line(String id, String text) throws IOException {
    return JSON.writeValueAsString(Map.of("id", id, "text", text));
  }

  static List<String> docs(String prefix, int count) throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(line(prefix + i, "document " + prefix + " number " + i + " has some words in it"));
    }
    return out;
  }

  static byte[] bytes(List<String> lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static byte[] compress(byte[] data, boolean zstd) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (OutputStream o = zstd ? new ZstdOutputStream(bo) : new GZIPOutputStream(bo)) {
      o.write(data);
    }
    return bo.toByteArray();
  }

  CorpusIndexer indexer(Path dir, NgramScheme scheme) {
    return new CorpusIndexer(
        dir, new BuildOptions(scheme, List.of("text"), "id", 2, 16), new PrintWriter(log));
  }

  static FileStats stats(IndexState st, Path file) {
    return st.file(file.toAbsolutePath().normalize().toString()).stats;
  }

  @Test
  void badInputIsCountedPerFileAndNeverFatal() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("c"));
    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    bad.write(
        bytes(
            List.of(
                line("ok1", "a good first document"),
                "{\"text\": \"unterminated",
                "[1, 2, 3]",
                "{\"id\": \"x\"}",
                "{\"text\": 5}",
                "",
                "{\"text\": \"trailing\"} garbage")));
    bad.write("{\"text\": \"bad \u00ff".getBytes(StandardCharsets.UTF_8));
    bad.write(new byte[] {(byte) 0xC3, (byte) 0x28}); // invalid UTF-8 sequence
    bad.write(" byte\"}\n".getBytes(StandardCharsets.UTF_8));
    bad.write(bytes(List.of(line("ok2", "a good last document"))));
    Path badFile = dir.resolve("bad.jsonl");
    Files.write(badFile, bad.toByteArray());

    byte[] many = bytes(docs("g", 20000)); // several zstd blocks
    byte[] gz = compress(many, false);
    byte[] zst = compress(many, true);
    Path gzFile = dir.resolve("cut.jsonl.gz");
    Path zstFile = dir.resolve("cut.jsonl.zst");
    Files.write(gzFile, Arrays.copyOf(gz, gz.length / 2));
    Files.write(zstFile, Arrays.copyOf(zst, zst.length / 2));

    BuildReport r =
        indexer(tmp.resolve("idx"), SCHEME).build(CorpusFiles.expand(List.of(dir.toString())));
    IndexState st = CorpusIndexer.existing(tmp.resolve("idx"));
    FileStats b = stats(st, badFile);
    assertThat(b.records).isEqualTo(9);
    assertThat(b.docs).isEqualTo(3); // ok1, the invalid-UTF-8 line (replaced), ok2
    assertThat(b.malformed).isEqualTo(3);
    assertThat(b.missingText).isEqualTo(2);
    assertThat(b.invalidUtf8).isEqualTo(1);
    assertThat(b.blankLines).isEqualTo(1);
    assertThat(b.firstError).startsWith("line 2:");
    assertThat(b.truncated).isNull();
    for (Path cut : List.of(gzFile, zstFile)) {
      FileStats c = stats(st, cut);
      assertThat(c.truncated).as(cut.toString()).isNotNull();
      assertThat(c.docs).as(cut.toString()).isBetween(100L, 19999L);
      assertThat(st.file(cut.toString()).done()).isTrue();
    }
    long expected = b.docs + stats(st, gzFile).docs + stats(st, zstFile).docs;
    assertThat(r.totalDocs()).isEqualTo(expected);
    assertThat(log.toString())
        .contains("TRUNCATED", "3 malformed", "2 without text field", "1 invalid UTF-8");
    assertThat(Files.readString(tmp.resolve("idx").resolve(IndexState.MIRROR_FILE)))
        .contains("\"invalid_utf8\" : 1");
  }

  @Test
  void emptyCorpusIsAnError() throws Exception {
    Path f = tmp.resolve("empty.jsonl");
    Files.write(f, bytes(List.of("{\"content\": \"no text field\"}", "{\"text\": \"\"}")));
    assertThatThrownBy(() -> indexer(tmp.resolve("idx"), SCHEME).build(List.of(f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty corpus");
    assertThatThrownBy(() -> CorpusFiles.expand(List.of(tmp.resolve("nothing-here").toString())))
        .hasMessageContaining("does not exist");
  }

  @Test
  void rerunAddsNewFilesAndReindexesChangedOnes() throws Exception {
    Path a = tmp.resolve("a.jsonl");
    Path b = tmp.resolve("b.jsonl.gz");
    Files.write(a, bytes(docs("a", 30)));
    Files.write(b, compress(bytes(docs("b", 20)), false));
    Path idx = tmp.resolve("idx");
    assertThat(indexer(idx, SCHEME).build(List.of(a)).totalDocs()).isEqualTo(30);
    BuildReport second = indexer(idx, SCHEME).build(List.of(a, b));
    assertThat(second.skipped()).containsExactly(a.toString());
    assertThat(second.indexed()).extracting(e -> e.path).containsExactly(b.toString());
    assertThat(second.totalDocs()).isEqualTo(50);

    Files.write(a, bytes(docs("a", 31)));
    BuildReport third = indexer(idx, SCHEME).build(List.of(a, b));
    assertThat(third.skipped()).containsExactly(b.toString());
    assertThat(third.totalDocs()).isEqualTo(51);
    assertThat(log.toString()).contains("re-indexing changed file " + a);
    assertThat(docFreq(idx, "document a number")).isEqualTo(31);
  }

  @Test
  void interruptedBuildLeavesAUsableIndexAndResumes() throws Exception {
    Path a = tmp.resolve("a.jsonl");
    Path b = tmp.resolve("b.jsonl");
    Files.write(a, bytes(docs("a", 10)));
    Files.write(b, bytes(docs("b", 40)));
    Path idx = tmp.resolve("idx");
    indexer(idx, SCHEME).build(List.of(a));
    // what an interrupted run leaves behind: b registered as started, part of it committed
    IndexState st = CorpusIndexer.existing(idx);
    IndexState.FileEntry e = new IndexState.FileEntry();
    e.ord = 1;
    e.path = b.toString();
    e.size = Files.size(b);
    e.mtimeMs = Files.getLastModifiedTime(b).toMillis();
    e.status = "started";
    st.files.add(e);
    try (FSDirectory d = FSDirectory.open(idx);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig(NgramAnalyzer.forIndex(SCHEME)))) {
      for (int i = 0; i < 7; i++) {
        w.addDocument(
            CorpusIndexer.document(
                "1",
                new CorpusDoc(
                    i + 1, -1, "b" + i, "document b number " + i + " has some words in it")));
      }
      w.setLiveCommitData(Map.of(IndexState.COMMIT_KEY, st.toJson()).entrySet());
      w.commit();
    }
    try (NgramIndex partial = NgramIndex.open(idx)) {
      assertThat(partial.numDocs()).isEqualTo(17);
    }
    BuildReport r = indexer(idx, SCHEME).build(List.of(a, b));
    assertThat(log.toString()).contains("resuming interrupted file " + b);
    assertThat(r.skipped()).containsExactly(a.toString());
    assertThat(r.totalDocs()).isEqualTo(50);
    assertThat(docFreq(idx, "document b number")).isEqualTo(40);
    assertThat(CorpusIndexer.existing(idx).file(b.toString()).done()).isTrue();
  }

  @Test
  void differentSchemeOnAnExistingIndexIsRejected() throws Exception {
    Path a = tmp.resolve("a.jsonl");
    Files.write(a, bytes(docs("a", 3)));
    Path idx = tmp.resolve("idx");
    indexer(idx, SCHEME).build(List.of(a));
    assertThatThrownBy(
            () -> indexer(idx, new NgramScheme(Normalization.UNICODE, 3, 1)).build(List.of(a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("normalization=janitor/1 n=3");
  }

  static int docFreq(Path idx, String phrase) throws IOException {
    TokenBuffer tb = new TokenBuffer();
    Normalization.JANITOR.newNormalizer().tokenize(phrase, tb);
    try (NgramIndex index = NgramIndex.open(idx)) {
      return index
          .lookup()
          .docFreq(
              NgramHasher.ngramHash(tb.hashes(), 0, tb.size()),
              Integer.MAX_VALUE,
              new NgramIndex.IntList());
    }
  }
}
