package evalh.decontam.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.report.CorpusSource;
import evalh.decontam.report.DecontamReport;
import evalh.decontam.text.NgramScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.io.InputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 7: an index whose corpus files are not readable where the items are checked (shards
 * built from hdfs:// corpora, copied to a laptop) used to turn every answer leak into "no leak",
 * with only a console warning that printed the URI as hdfs:/host. The report must now record which
 * checks were skipped, and the warning must name the file as indexed.
 */
class SkippedChecksTest {
  /** What the report says the items were checked against (the typed report requires one). */
  private static final CorpusSource INDEX =
      new CorpusSource.Index("local", "/idx", 1, 1, 1, NgramScheme.defaults());

  private static final String URI = "hdfs://namenode:8020/corpus/part-0.jsonl";
  private static final String QUESTION =
      "Which organelle of a plant cell converts the energy of sunlight into chemical energy that"
          + " is stored in sugar molecules during the daytime";
  private static final String ANSWER = "the green chloroplast with its stacked thylakoid membranes";

  @TempDir Path tmp;

  /** The same bytes as a local file, named as the indexer saw it. */
  private static CorpusFile named(Path local, String identity) {
    CorpusFile f = CorpusFile.local(local);
    return new CorpusFile() {
      @Override
      public String path() {
        return identity;
      }

      @Override
      public long size() throws IOException {
        return f.size();
      }

      @Override
      public long mtimeMs() throws IOException {
        return f.mtimeMs();
      }

      @Override
      public InputStream open() throws IOException {
        return f.open();
      }

      @Override
      public InputFile parquet() throws IOException {
        return f.parquet();
      }
    };
  }

  private record Checked(List<ItemMatch> matches, List<SkippedCheck> skipped, String log) {}

  private Checked check(CorpusFile file, String name) throws IOException {
    Path index = tmp.resolve(name);
    new CorpusIndexer(index, BuildOptions.defaults(), new PrintWriter(new StringWriter()))
        .buildFiles(List.of(file));
    List<CheckItem> items =
        List.of(
            CheckItem.multipleChoice(
                "t", 0, QUESTION, List.of("the nucleus", ANSWER, "the vacuole", "the wall"), 1),
            // shorter than n = 13 tokens: checked by the whole-item pass over the corpus files
            CheckItem.multipleChoice("t", 1, "Two plus two", List.of("four", "five"), 0));
    StringWriter log = new StringWriter();
    try (NgramIndex idx = NgramIndex.open(index)) {
      ItemChecker c =
          new ItemChecker(idx, new CheckSettings(10, 3, 100, true, 1), new PrintWriter(log, true));
      return new Checked(c.check(items), c.skipped(), log.toString());
    }
  }

  private Path corpus() throws IOException {
    Path f = tmp.resolve("part-0.jsonl");
    Files.writeString(
        f,
        "{\"id\":\"a\",\"text\":\"Some unrelated words about rivers and hills come first here.\"}\n"
            + "{\"id\":\"b\",\"text\":\"Quiz. "
            + QUESTION
            + "? Answer: "
            + ANSWER
            + ".\"}\n");
    return f;
  }

  @Test
  void readableCorpusSkipsNothingAndFindsTheLeak() throws IOException {
    Checked c = check(CorpusFile.local(corpus()), "local-index");
    assertThat(c.matches().get(0).dirty()).isTrue();
    assertThat(c.matches().get(0).answerLeak()).isTrue();
    assertThat(c.skipped()).isEmpty();
  }

  @Test
  void corpusOnAnotherFileSystemIsRecordedAsSkippedWithItsUri() throws IOException {
    Checked c = check(named(corpus(), URI), "hdfs-index");
    // the counts and the label come from the index ...
    assertThat(c.matches().get(0).dirty()).isTrue();
    // ... the leak could not be looked for, and that is now said
    assertThat(c.matches().get(0).answerLeak()).isFalse();
    assertThat(c.skipped())
        .extracting(SkippedCheck::checks, SkippedCheck::file, SkippedCheck::items)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(List.of("snippets", "answer_leak"), URI, 1),
            org.assertj.core.groups.Tuple.tuple(
                List.of("whole_item_match", "answer_leak"), URI, 1));
    assertThat(c.skipped().get(0).reason()).contains("another file system");
    assertThat(c.log()).contains("warning: corpus file " + URI + " ").doesNotContain("hdfs:/n");

    DecontamReport r =
        DecontamReport.builder()
            .taskSpec("t")
            .source(INDEX)
            .skipped(c.skipped())
            .addAll(c.matches())
            .build();
    JsonNode sk = r.json().get("skipped_checks");
    assertThat(sk).hasSize(2);
    assertThat(sk.get(0).get("file").asText()).isEqualTo(URI);
    assertThat(sk.get(0).get("checks").toString()).isEqualTo("[\"snippets\",\"answer_leak\"]");
    assertThat(sk.get(0).get("items").asInt()).isEqualTo(1);
    assertThat(r.toMarkdown())
        .contains("**Skipped checks**")
        .contains("- `snippets`, `answer_leak` for 1 item(s): `" + URI + "`");
  }

  @Test
  void aReportWithNothingSkippedSaysSoInItsJson() {
    DecontamReport r = DecontamReport.builder().taskSpec("t").source(INDEX).build();
    assertThat(r.json().get("skipped_checks").isArray()).isTrue();
    assertThat(r.json().get("skipped_checks")).isEmpty();
    assertThat(r.toMarkdown()).doesNotContain("Skipped checks");
  }
}
