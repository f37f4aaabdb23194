package evalh.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corpus arguments: local paths as the local engine expands them, URIs through Hadoop. */
class CorpusListingTest {
  @TempDir Path tmp;

  @Test
  void expandsPathsUrisDirectoriesAndGlobsAlike() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("corpus/sub"));
    Files.writeString(tmp.resolve("corpus/a.jsonl"), "{}\n");
    Files.writeString(d.resolve("b.jsonl.zst"), "xx");
    Files.writeString(d.resolve("c.parquet"), "xxx");
    Files.writeString(d.resolve("notes.txt"), "not a corpus file");
    Configuration conf = new Configuration();
    List<CorpusListing.Entry> viaPath =
        CorpusListing.expand(List.of(tmp.resolve("corpus").toString()), conf);
    List<CorpusListing.Entry> viaUri =
        CorpusListing.expand(List.of(tmp.resolve("corpus").toUri().toString()), conf);
    List<CorpusListing.Entry> viaGlob =
        CorpusListing.expand(
            List.of(tmp.toUri() + "corpus/a.jsonl", tmp.toUri() + "corpus/sub/*"), conf);
    assertThat(viaPath)
        .extracting(e -> HadoopCorpusFile.identity(e.uri()))
        .containsExactly(
            tmp.resolve("corpus/a.jsonl").toString(),
            d.resolve("b.jsonl.zst").toString(),
            d.resolve("c.parquet").toString());
    assertThat(viaPath).extracting(CorpusListing.Entry::size).containsExactly(3L, 2L, 3L);
    assertThat(viaUri).isEqualTo(viaPath);
    assertThat(viaGlob).isEqualTo(viaPath);

    assertThatThrownBy(() -> CorpusListing.expand(List.of(tmp.toUri() + "nothing/*"), conf))
        .hasMessageContaining("matches no corpus file");
    assertThatThrownBy(
            () -> CorpusListing.expand(List.of(d.resolve("notes.txt").toUri().toString()), conf))
        .hasMessageContaining("unsupported extension");
  }

  @Test
  void partitionsHaveSimilarSizes() {
    List<CorpusListing.Entry> files =
        List.of(
            new CorpusListing.Entry("file:/c/1", 100),
            new CorpusListing.Entry("file:/c/2", 60),
            new CorpusListing.Entry("file:/c/3", 50),
            new CorpusListing.Entry("file:/c/4", 40),
            new CorpusListing.Entry("file:/c/5", 10));
    List<List<CorpusListing.Entry>> g = CorpusListing.balance(files, 2);
    assertThat(g).hasSize(2);
    assertThat(g.get(0))
        .extracting(CorpusListing.Entry::uri)
        .containsExactly("file:/c/1", "file:/c/4");
    assertThat(g.get(1))
        .extracting(CorpusListing.Entry::uri)
        .containsExactly("file:/c/2", "file:/c/3", "file:/c/5");
    assertThat(CorpusListing.balance(files, 9)).hasSize(5);
    assertThat(CorpusListing.balance(files, 0)).hasSize(1);
  }
}
