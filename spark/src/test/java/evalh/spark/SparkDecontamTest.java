package evalh.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.decontam.GeneratedCorpus;
import evalh.decontam.PlantedCorpus;
import evalh.decontam.check.CheckItem;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.engine.DistributedEngine;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.index.ParquetCorpusTest;
import evalh.decontam.report.DecontamReport;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark scan, the Spark-built sharded index and the local index give the same per-item results
 * (every fact, label, top document with provenance, snippet and highlight: each item's {@code
 * decontam.json} entry) on the planted-contamination corpus and on generated corpora.
 */
class SparkDecontamTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private final StringWriter log = new StringWriter();
  private final PrintWriter out = new PrintWriter(log);

  /** The three engines' per-item results. */
  private record Three(List<String> local, List<String> scan, List<String> shards) {}

  private Three runAll(
      List<String> corpus,
      List<CheckItem> items,
      BuildOptions opts,
      CheckSettings settings,
      int partitions)
      throws IOException {
    new CorpusIndexer(tmp.resolve("local-index"), opts, out).build(CorpusFiles.expand(corpus));
    List<String> local;
    try (NgramIndex index = NgramIndex.open(tmp.resolve("local-index"))) {
      local = json(new ItemChecker(index, settings, out).check(items));
    }
    List<String> scan;
    List<String> shards;
    try (SparkEngine engine = new SparkEngine(SparkTestSession.get(), partitions)) {
      DistributedEngine.CorpusScan s =
          engine.scan(
              corpus,
              opts,
              ItemChecker.plan(items, opts.scheme(), settings),
              settings.boilerplateCap(),
              out);
      scan = json(new ItemChecker(s.matches(), settings, out).check(items));
      assertThat(s.documents()).isPositive();
      String manifest = engine.index(corpus, opts, tmp.resolve("shards").toString(), out);
      try (NgramIndex index = NgramIndex.open(Path.of(manifest.replaceFirst("^file:", "")))) {
        assertThat(index.shards()).isGreaterThan(1);
        shards = json(new ItemChecker(index, settings, out).check(items));
      }
    }
    return new Three(local, scan, shards);
  }

  private static List<String> json(List<ItemMatch> ms) throws IOException {
    List<String> out = new ArrayList<>();
    for (ItemMatch m : ms) {
      out.add(m.task() + "/" + m.docId() + " " + JSON.writeValueAsString(DecontamReport.item(m)));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4})
  void plantedCorpusGivesTheSameResultsOnEveryEngine(int stride) throws Exception {
    PlantedCorpus pc = PlantedCorpus.generate(tmp);
    BuildOptions opts =
        new BuildOptions(
            new NgramScheme(Normalization.JANITOR, 13, stride), List.of("text"), "id", 2, 64);
    Three r = runAll(List.of(pc.dir().toString()), pc.items(), opts, CheckSettings.defaults(), 0);
    assertThat(r.scan()).containsExactlyElementsOf(r.local());
    assertThat(r.shards()).containsExactlyElementsOf(r.local());
    // not vacuous: every planted kind is found, with provenance and snippets
    long dirty = r.local().stream().filter(s -> s.contains("\"dirty\":true")).count();
    long leaks = r.local().stream().filter(s -> s.contains("\"answer_leak\":true")).count();
    assertThat(dirty).isEqualTo(200);
    assertThat(leaks).isGreaterThanOrEqualTo(50);
    assertThat(r.local().stream().filter(s -> s.contains("\"snippet\"")).count()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 6})
  void generatedCorporaGiveTheSameResultsOnEveryEngine(int n) throws Exception {
    GeneratedCorpus gc = GeneratedCorpus.generate(tmp, n);
    // a fourth file in parquet repeats the first file's documents (every n-gram twice as common)
    ParquetCorpusTest.write(
        gc.dir().resolve("d.parquet"), gc.docsPerFile().get(0), CompressionCodecName.ZSTD);
    BuildOptions opts =
        new BuildOptions(
            new NgramScheme(Normalization.JANITOR, n, 1), List.of("text"), "id", 2, 16);
    CheckSettings settings = new CheckSettings(3, 3, 1_000, true, 2);
    Three r = runAll(List.of(gc.dir().toString()), gc.items(), opts, settings, 2);
    assertThat(r.scan()).containsExactlyElementsOf(r.local());
    assertThat(r.shards()).containsExactlyElementsOf(r.local());
    List<String> local = r.local();
    assertThat(local.stream().filter(s -> s.contains("\"dirty\":true")).count())
        .isBetween(30L, 270L);
    assertThat(local.stream().filter(s -> s.contains("\"short\":true")).count()).isGreaterThan(20);
    assertThat(local.stream().filter(s -> s.contains("\"row\":")).count())
        .as("parquet provenance")
        .isPositive();
    assertThat(local.stream().filter(s -> s.contains("\"answer_leak\":true")).count()).isPositive();
  }

  @Test
  void aPartitionWithoutDocumentsDoesNotStopTheJob() throws Exception {
    GeneratedCorpus gc = GeneratedCorpus.generate(tmp, 4);
    Files.writeString(gc.dir().resolve("empty.jsonl"), "\n{\"id\": 1}\n");
    BuildOptions opts =
        new BuildOptions(
            new NgramScheme(Normalization.JANITOR, 4, 1), List.of("text"), "id", 1, 16);
    CheckSettings settings = new CheckSettings(3, 3, 100, true, 1);
    // one partition per file: the file without text is a partition (and a shard) of its own
    Three r = runAll(List.of(gc.dir().toString()), gc.items(), opts, settings, 4);
    assertThat(r.scan()).containsExactlyElementsOf(r.local());
    assertThat(r.shards()).containsExactlyElementsOf(r.local());
  }

  @Test
  void shardsOfTheIndexModeAreCompleteIndexesWithAManifest() throws Exception {
    GeneratedCorpus gc = GeneratedCorpus.generate(tmp, 5);
    BuildOptions opts =
        new BuildOptions(
            new NgramScheme(Normalization.UNICODE, 5, 2), List.of("text"), "id", 1, 16);
    try (SparkEngine engine = new SparkEngine(SparkTestSession.get(), 3)) {
      String manifest =
          engine.index(List.of(gc.dir().toString()), opts, tmp.resolve("out").toString(), out);
      Path m = Path.of(manifest.replaceFirst("^file:", ""));
      assertThat(m).exists().hasFileName("evalh-shards.json");
      assertThat(tmp.resolve("out/_tmp")).doesNotExist();
      try (NgramIndex index = NgramIndex.open(m.getParent())) {
        assertThat(index.shards()).isEqualTo(3);
        assertThat(index.numDocs()).isEqualTo(gc.docs().size());
        assertThat(index.scheme()).isEqualTo(opts.scheme());
        assertThat(index.state().files).hasSize(3);
      }
      // a second build into the same place is refused rather than mixed with the first
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  engine.index(
                      List.of(gc.dir().toString()), opts, tmp.resolve("out").toString(), out))
          .hasMessageContaining("already holds a shard manifest");
    }
    assertThat(Files.list(tmp.resolve("out")).map(p -> p.getFileName().toString()).sorted())
        .containsExactly("evalh-shards.json", "shard-00000", "shard-00001", "shard-00002");
  }
}
