package evalh.decontam.check;

import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.corpus.JsonlCorpusReader;
import evalh.decontam.corpus.ParquetCorpusReader;
import java.io.IOException;
import java.util.List;
import java.util.TreeMap;

/**
 * Re-reads matched documents from a corpus file (indexes and scans keep provenance, not text): a
 * local uncompressed JSONL file by seeking to the recorded byte offsets, compressed or remote JSONL
 * by scanning lines, parquet by scanning rows up to the last wanted one.
 */
public final class DocumentTexts {
  /** Receives one fetched document. */
  public interface Sink {
    void accept(long position, String text);
  }

  private DocumentTexts() {}

  /**
   * Delivers the wanted documents of {@code file}.
   *
   * @param positions position (1-based line or 0-based row) to byte offset or -1, ascending
   */
  public static void read(
      CorpusFile file,
      TreeMap<Long, Long> positions,
      List<String> textFields,
      String idField,
      Sink sink)
      throws IOException {
    if (positions.isEmpty()) {
      return;
    }
    if (CorpusFiles.isParquet(file.name())) {
      long last = positions.lastKey();
      new ParquetCorpusReader(textFields, idField)
          .read(
              file,
              (CorpusDoc d) -> {
                if (positions.containsKey(d.position())) {
                  sink.accept(d.position(), d.text());
                }
                return d.position() < last;
              },
              new FileStats());
    } else {
      long[] lines = positions.keySet().stream().mapToLong(Long::longValue).toArray();
      long[] offs = positions.values().stream().mapToLong(Long::longValue).toArray();
      new JsonlCorpusReader(textFields, idField)
          .readLines(
              file,
              lines,
              offs,
              (CorpusDoc d) -> {
                sink.accept(d.position(), d.text());
                return true;
              });
    }
  }
}
