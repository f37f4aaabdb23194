package evalh.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.decontam.GeneratedCorpus;
import evalh.decontam.index.BuildOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.util.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 4: index tasks build their shard in the executor's Spark-managed local directory
 * (removed with the application), not the system temp dir, and remove it also when the task fails.
 */
class IndexScratchTest {
  @TempDir Path tmp;

  private static Path sparkLocalDir() {
    return Path.of(Utils.getLocalDir(SparkTestSession.get().sparkContext().getConf()));
  }

  private static List<Path> scratchFolders() throws IOException {
    try (Stream<Path> s = Files.list(sparkLocalDir())) {
      return s.filter(p -> p.getFileName().toString().startsWith(IndexJob.SCRATCH_PREFIX)).toList();
    }
  }

  private static SerializableConf conf() {
    return new SerializableConf(SparkTestSession.context().hadoopConfiguration());
  }

  @Test
  void shardsAreBuiltInSparksLocalDirAndRemoved() throws IOException {
    GeneratedCorpus gc = GeneratedCorpus.generate(tmp.resolve("corpus"), 6);
    List<CorpusListing.Entry> files =
        CorpusListing.expand(List.of(gc.dir().toString()), conf().get());
    IndexJob.Result r =
        IndexJob.run(
            SparkTestSession.context(),
            CorpusListing.balance(files, 2),
            BuildOptions.defaults(),
            tmp.resolve("shards").toString(),
            "test",
            conf());
    assertThat(r.shards()).hasSize(2);
    for (IndexJob.Shard s : r.shards()) {
      Path scratch = Path.of(s.scratch());
      assertThat(scratch.getParent()).isEqualTo(sparkLocalDir());
      assertThat(scratch.getFileName().toString()).startsWith("evalh-" + s.name() + "-");
      assertThat(scratch).doesNotExist();
    }
    assertThat(Path.of(System.getProperty("java.io.tmpdir"))).isNotEqualTo(sparkLocalDir());
  }

  @Test
  void aFailingTaskLeavesNoScratchFolder() throws IOException {
    GeneratedCorpus gc = GeneratedCorpus.generate(tmp.resolve("corpus"), 6);
    List<CorpusListing.Entry> files =
        new ArrayList<>(CorpusListing.expand(List.of(gc.dir().toString()), conf().get()));
    // listed, then gone before the task reads it: the task fails after creating its folder
    Path gone = tmp.resolve("gone.jsonl");
    files.add(new CorpusListing.Entry(gone.toUri().toString(), 10));
    List<Path> before = scratchFolders();
    assertThatThrownBy(
            () ->
                IndexJob.run(
                    SparkTestSession.context(),
                    List.of(files),
                    BuildOptions.defaults(),
                    tmp.resolve("shards").toString(),
                    "test",
                    conf()))
        .hasStackTraceContaining("gone.jsonl");
    assertThat(scratchFolders()).isEqualTo(before);
    assertThat(tmp.resolve("shards").resolve("shard-00000")).doesNotExist();
  }
}
