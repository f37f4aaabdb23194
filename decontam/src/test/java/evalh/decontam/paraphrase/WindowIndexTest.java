package evalh.decontam.paraphrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.decontam.corpus.CorpusFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The window index's build rules: counts, skip unchanged, resume interrupted, refuse bad ones. */
class WindowIndexTest {
  @TempDir Path tmp;
  final StringWriter log = new StringWriter();

  Path file(String name, int docs, int words) throws Exception {
    ObjectMapper json = new ObjectMapper();
    StringBuilder sb = new StringBuilder();
    for (int d = 0; d < docs; d++) {
      StringBuilder t = new StringBuilder();
      for (int w = 0; w < words; w++) {
        t.append("word").append(d).append('x').append(w).append(' ');
      }
      sb.append(json.writeValueAsString(Map.of("id", name + d, "text", t.toString()))).append('\n');
    }
    Path f = tmp.resolve(name + ".jsonl");
    Files.writeString(f, sb, StandardCharsets.UTF_8);
    return f;
  }

  WindowIndexer indexer(Path dir) {
    return new WindowIndexer(dir, WindowOptions.of(List.of("text"), "id", 2), new PrintWriter(log));
  }

  @Test
  void buildSkipResumeAndRefuse() throws Exception {
    Path a = file("a", 3, 200); // 200 words: windows at 0..96, 7 per doc
    Path b = file("b", 2, 50); // one window per doc
    Path dir = tmp.resolve("win");
    List<CorpusFile> files = List.of(CorpusFile.local(a), CorpusFile.local(b));
    WindowIndexer.Report r = indexer(dir).build(files);
    assertThat(r.windows()).isEqualTo(3 * 6 + 2);
    assertThat(r.words()).isEqualTo(3 * 200 + 2 * 50);
    WindowIndexer.Report again = indexer(dir).build(files);
    assertThat(again.indexed()).isEmpty();
    assertThat(again.skipped()).hasSize(2);

    // an interrupted build: file a left 'started' in the last commit
    WindowIndexState st = WindowIndexer.existing(dir);
    st.file(a.toAbsolutePath().normalize().toString()).status = "started";
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new ParaphraseAnalyzer()))) {
      w.setLiveCommitData(Map.of(WindowIndexState.COMMIT_KEY, st.toJson()).entrySet());
      w.commit();
    }
    assertThatThrownBy(() -> WindowIndex.open(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("partial")
        .hasMessageContaining("a.jsonl");
    WindowIndexer.Report resumed = indexer(dir).build(files);
    assertThat(resumed.indexed()).containsExactly(a.toAbsolutePath().normalize().toString());
    assertThat(log.toString()).contains("resuming interrupted file");
    try (WindowIndex wi = WindowIndex.open(dir)) {
      assertThat(wi.windows()).isEqualTo(3 * 6 + 2); // the partial windows were dropped first
    }
  }

  @Test
  void emptyCorpusAndForeignDirectoryAreRefused() throws Exception {
    Path empty = tmp.resolve("empty.jsonl");
    Files.writeString(empty, "{\"text\": \"\"}\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> indexer(tmp.resolve("e")).build(List.of(CorpusFile.local(empty))))
        .hasMessageContaining("empty corpus");
    assertThatThrownBy(() -> WindowIndex.open(tmp.resolve("e")))
        .hasMessageContaining("holds no windows");
    Path foreign = Files.createDirectories(tmp.resolve("foreign"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> indexer(foreign).build(List.of(CorpusFile.local(file("c", 1, 10)))))
        .hasMessageContaining("refusing to build a window index");
    assertThat(Files.readString(foreign.resolve("notes.txt"))).isEqualTo("mine");
  }
}
