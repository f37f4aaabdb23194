package evalh.decontam.check;

import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.corpus.JsonlCorpusReader;
import evalh.decontam.corpus.ParquetCorpusReader;
import evalh.decontam.index.IndexState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Re-reads matched documents from the corpus files (the index stores provenance, not text):
 * uncompressed JSONL by seeking to the stored byte offset, compressed JSONL by scanning lines,
 * parquet by scanning rows. A file that is gone or changed since indexing is reported once and its
 * documents get no snippet.
 */
final class DocumentTexts {
  /** Receives one fetched document. */
  interface Sink {
    void accept(int fileOrd, long position, String text);
  }

  private DocumentTexts() {}

  /**
   * @param wanted file ordinal -> (position -> byte offset or -1)
   */
  static void fetch(
      IndexState state, Map<Integer, TreeMap<Long, Long>> wanted, Sink sink, PrintWriter log) {
    for (Map.Entry<Integer, TreeMap<Long, Long>> e : wanted.entrySet()) {
      int ord = e.getKey();
      String pathStr = state.path(ord);
      Path path = Path.of(pathStr);
      IndexState.FileEntry entry = state.file(pathStr);
      try {
        if (!Files.isReadable(path)) {
          log.println("warning: corpus file " + path + " is not readable: no snippets from it");
          continue;
        }
        if (entry != null && Files.size(path) != entry.size) {
          log.println(
              "warning: corpus file " + path + " changed since indexing: no snippets from it");
          continue;
        }
        TreeMap<Long, Long> pos = e.getValue();
        if (CorpusFiles.isParquet(path)) {
          long last = pos.lastKey();
          new ParquetCorpusReader(state.textFields, state.idField)
              .read(
                  path,
                  (CorpusDoc d) -> {
                    if (pos.containsKey(d.position())) {
                      sink.accept(ord, d.position(), d.text());
                    }
                    return d.position() < last;
                  },
                  new FileStats());
        } else {
          long[] lines = pos.keySet().stream().mapToLong(Long::longValue).toArray();
          long[] offs = pos.values().stream().mapToLong(Long::longValue).toArray();
          new JsonlCorpusReader(state.textFields, state.idField)
              .readLines(
                  path,
                  lines,
                  offs,
                  (CorpusDoc d) -> {
                    sink.accept(ord, d.position(), d.text());
                    return true;
                  });
        }
      } catch (IOException ex) {
        log.println("warning: cannot re-read " + path + " for snippets: " + ex.getMessage());
      }
    }
  }
}
