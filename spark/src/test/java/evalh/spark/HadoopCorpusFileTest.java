package evalh.spark;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.GeneratedCorpus;
import evalh.decontam.check.DocumentTexts;
import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.index.CorpusReaders;
import evalh.decontam.index.ParquetCorpusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a corpus file through Hadoop's file system API (the path every non-local file takes:
 * HDFS, S3A, GCS) yields the same documents, positions, byte offsets, ids and re-read texts as
 * reading it locally, for plain, gzip and zstd JSONL and for parquet.
 */
class HadoopCorpusFileTest {
  @TempDir Path tmp;

  @Test
  void hadoopAndLocalReadsAgree() throws Exception {
    GeneratedCorpus gc = GeneratedCorpus.generate(tmp, 4);
    ParquetCorpusTest.write(
        gc.dir().resolve("d.parquet"), gc.docsPerFile().get(1), CompressionCodecName.SNAPPY);
    List<Path> files;
    try (Stream<Path> s = Files.list(gc.dir())) {
      files = s.sorted().toList();
    }
    assertThat(files).hasSize(4);
    Configuration conf = new Configuration();
    for (Path f : files) {
      CorpusFile local = CorpusFile.local(f);
      CorpusFile hadoop = HadoopCorpusFile.viaHadoop(f.toUri().toString(), conf);
      assertThat(hadoop.name()).isEqualTo(local.name());
      assertThat(hadoop.size()).isEqualTo(local.size());
      assertThat(hadoop.localPath()).isNull();
      List<CorpusDoc> a = read(local);
      List<CorpusDoc> b = read(hadoop);
      assertThat(b).as(f.toString()).isEqualTo(a).isNotEmpty();
      TreeMap<Long, Long> wanted = new TreeMap<>();
      for (int i = 0; i < a.size(); i += 7) {
        wanted.put(a.get(i).position(), a.get(i).byteOffset());
      }
      List<String> ta = new ArrayList<>();
      List<String> tb = new ArrayList<>();
      DocumentTexts.read(local, wanted, List.of("text"), "id", (p, t) -> ta.add(p + ":" + t));
      DocumentTexts.read(hadoop, wanted, List.of("text"), "id", (p, t) -> tb.add(p + ":" + t));
      assertThat(tb).hasSize(wanted.size()).isEqualTo(ta);
    }
    // a file: URI given to the engine is the local file itself (same identity as the local engine)
    Path first = files.getFirst();
    assertThat(HadoopCorpusFile.of(first.toUri().toString(), conf).path())
        .isEqualTo(first.toAbsolutePath().toString());
  }

  private static List<CorpusDoc> read(CorpusFile f) throws Exception {
    List<CorpusDoc> docs = new ArrayList<>();
    FileStats st = new FileStats();
    CorpusReaders.forName(f.name(), List.of("text"), "id").read(f, docs::add, st);
    assertThat(st.hasProblems()).isFalse();
    return docs;
  }
}
