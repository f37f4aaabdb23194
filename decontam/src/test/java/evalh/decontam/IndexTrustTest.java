package evalh.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.decontam.cli.DecontamCommand;
import evalh.decontam.cli.IndexCommand;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.IndexState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** decontam refuses an index it cannot trust; index refuses a directory that is not its own. */
class IndexTrustTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(Object cmd, String... args) {
    CommandLine cl = new CommandLine(cmd);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  Path corpus(String extraDoc) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("corpus"));
    List<String> a = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      a.add(Fixtures.line("a" + i, "filler document number " + i + " about nothing at all here"));
    }
    Fixtures.write(dir.resolve("a.jsonl"), a);
    Fixtures.write(dir.resolve("b.jsonl.zst"), List.of(Fixtures.line("b0", extraDoc)));
    return dir;
  }

  Path items() throws Exception {
    Path f = tmp.resolve("items.jsonl");
    Files.writeString(
        f,
        "{\"task\":\"t\",\"doc_id\":0,\"question\":\"what is the filler document number about\","
            + "\"choices\":[\"nothing\",\"all\"],\"gold\":0}\n");
    return f;
  }

  private Path builtIndex() throws Exception {
    Path index = tmp.resolve("idx");
    assertThat(
            run(new IndexCommand(), "--corpus", corpus("x").toString(), "--out", index.toString()))
        .as(err.toString())
        .isZero();
    return index;
  }

  /** Rewrites the last commit's metadata as an interrupted build leaves it: b.jsonl.zst started. */
  private static void markStarted(Path index, String suffix) throws Exception {
    try (Directory d = FSDirectory.open(index);
        IndexWriter w =
            new IndexWriter(
                d, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      Map<String, String> ud = DirectoryReader.listCommits(d).getLast().getUserData();
      ObjectNode st = (ObjectNode) JSON.readTree(ud.get(IndexState.COMMIT_KEY));
      for (JsonNode f : st.get("files")) {
        if (f.get("path").asText().endsWith(suffix)) {
          ((ObjectNode) f).put("status", "started");
        }
      }
      w.setLiveCommitData(Map.of(IndexState.COMMIT_KEY, st.toString()).entrySet());
      w.commit();
    }
  }

  private int decontam(Path index, String... extra) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--corpus",
                index.toString(),
                "--items",
                items().toString(),
                "--out",
                tmp.resolve("report").toString()));
    args.addAll(List.of(extra));
    return run(new DecontamCommand(), args.toArray(String[]::new));
  }

  @Test
  void interruptedIndexIsRefusedNamingFilesAndTheResumeCommand() throws Exception {
    Path index = builtIndex();
    markStarted(index, "b.jsonl.zst");
    assertThat(decontam(index)).isEqualTo(1);
    assertThat(err.toString())
        .contains("index " + index + " is partial")
        .contains("1 corpus file(s) are still 'started'")
        .contains(tmp.resolve("corpus/b.jsonl.zst").toString())
        .contains("evalh index --corpus " + tmp.resolve("corpus/b.jsonl.zst") + " --out " + index)
        .contains("--n 13 --stride 1")
        .contains("--allow-partial");
    assertThat(tmp.resolve("report/decontam.json")).doesNotExist();

    assertThat(decontam(index, "--allow-partial")).as(err.toString()).isZero();
    JsonNode j = JSON.readTree(tmp.resolve("report/decontam.json").toFile());
    assertThat(j.at("/summary/partial").asBoolean()).isTrue();
    assertThat(j.at("/summary/unfinished_files/0").asText()).endsWith("b.jsonl.zst");
    assertThat(Files.readString(tmp.resolve("report/decontam.md"))).contains("**Partial index:**");
  }

  @Test
  void completeIndexReportIsNotPartial() throws Exception {
    assertThat(decontam(builtIndex())).as(err.toString()).isZero();
    JsonNode j = JSON.readTree(tmp.resolve("report/decontam.json").toFile());
    assertThat(j.at("/summary/partial").asBoolean()).isFalse();
  }

  @Test
  void indexWithoutDocumentsIsRefused() throws Exception {
    Path bad = tmp.resolve("bad.jsonl");
    Files.writeString(bad, "not json\n{\"no_text\": 1}\n");
    Path index = tmp.resolve("empty-idx");
    new CorpusIndexer(
            index,
            new evalh.decontam.index.BuildOptions(
                new evalh.decontam.text.NgramScheme(
                    evalh.decontam.text.Normalization.JANITOR, 13, 1),
                List.of("text"),
                null,
                1,
                16),
            new PrintWriter(new StringWriter()))
        .buildFiles(List.of(CorpusFile.local(bad)), true);
    assertThat(decontam(index)).isEqualTo(1);
    assertThat(err.toString())
        .contains("index " + index + " holds no documents")
        .contains("every item would be called clean")
        .contains("evalh index --corpus");
  }

  @Test
  void indexIntoAForeignNonEmptyDirectoryIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(dir.resolve("notes.txt"), "keep me");
    Files.writeString(dir.resolve("_0.cfs"), "named like Lucene's");
    assertThat(run(new IndexCommand(), "--corpus", corpus("x").toString(), "--out", dir.toString()))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains("refusing to build an index in " + dir)
        .contains("not empty and not an evalh index")
        .contains("notes.txt");
    assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("keep me");
    assertThat(dir.resolve("_0.cfs")).exists();
  }

  @Test
  void outThatIsAnExistingFileIsAUsageError() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertThat(
            run(new IndexCommand(), "--corpus", corpus("x").toString(), "--out", file.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--out " + file + " is an existing file, not a directory");
  }
}
