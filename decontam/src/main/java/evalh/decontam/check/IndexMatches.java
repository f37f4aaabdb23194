package evalh.decontam.check;

import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.index.CorpusReaders;
import evalh.decontam.index.IndexState;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.index.Provenance;
import evalh.decontam.text.NgramScheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link CorpusMatches} of a Lucene n-gram index (one index or several shards): postings and
 * provenance from the index, texts and the short-item pass from the indexed corpus files, which
 * must still be readable where they were indexed.
 */
public final class IndexMatches implements CorpusMatches {
  private final NgramIndex index;

  public IndexMatches(NgramIndex index) {
    this.index = index;
  }

  @Override
  public NgramScheme scheme() {
    return index.scheme();
  }

  @Override
  public Postings postings() throws IOException {
    NgramIndex.Lookup lookup = index.lookup();
    return new Postings() {
      @Override
      public int docFreq(long hash, int collectLimit, NgramIndex.IntList docs) throws IOException {
        return lookup.docFreq(hash, collectLimit, docs);
      }

      @Override
      public Provenance provenance(int doc) throws IOException {
        return lookup.provenance(doc);
      }
    };
  }

  @Override
  public void fetchTexts(Map<String, TreeMap<Long, Long>> wanted, TextSink sink, PrintWriter log) {
    IndexState state = index.state();
    for (Map.Entry<String, TreeMap<Long, Long>> e : wanted.entrySet()) {
      String file = e.getKey();
      Path path = Path.of(file);
      IndexState.FileEntry entry = state.file(file);
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
        DocumentTexts.read(
            CorpusFile.local(path),
            e.getValue(),
            state.textFields,
            state.idField,
            (pos, text) -> sink.accept(file, pos, text));
      } catch (IOException ex) {
        log.println("warning: cannot re-read " + path + " for snippets: " + ex.getMessage());
      }
    }
  }

  @Override
  public void scanShortItems(ShortItemScan scan, PrintWriter log) throws IOException {
    IndexState st = index.state();
    for (IndexState.FileEntry f : st.files) {
      if (!f.done()) {
        continue;
      }
      Path path = Path.of(f.path);
      if (!Files.isReadable(path)) {
        log.println(
            "warning: corpus file " + path + " is gone: short items not checked against it");
        continue;
      }
      CorpusReaders.forFile(path, st.textFields, st.idField)
          .read(
              path,
              (CorpusDoc d) -> {
                scan.visit(f.path, d);
                return true;
              },
              new FileStats());
    }
  }
}
