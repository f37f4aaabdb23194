package evalh.decontam.check;

import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.CorpusFiles;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link CorpusMatches} of a Lucene n-gram index (one index or several shards): postings and
 * provenance from the index, texts and the short-item pass from the indexed corpus files, which
 * must still be readable where they were indexed. A file that is not (a URI on another file system,
 * a moved or changed file) is reported on the log and in {@link #unreadTexts} / {@link
 * #unreadForShortItems}, so that the report can say which checks were skipped.
 */
public final class IndexMatches implements CorpusMatches {
  private final NgramIndex index;
  private final List<Unread> unreadTexts = new ArrayList<>();
  private final List<Unread> unreadShort = new ArrayList<>();

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
      String unreadable = unreadable(file);
      if (unreadable != null) {
        unread(unreadTexts, log, file, unreadable, "no snippets or answer_leak from it");
        continue;
      }
      Path path = Path.of(file);
      IndexState.FileEntry entry = state.file(file);
      try {
        if (entry != null && Files.size(path) != entry.size) {
          unread(
              unreadTexts,
              log,
              file,
              "changed since indexing",
              "no snippets or answer_leak from it");
          continue;
        }
        DocumentTexts.read(
            CorpusFile.local(path),
            e.getValue(),
            state.textFields,
            state.idField,
            (pos, text) -> sink.accept(file, pos, text));
      } catch (IOException ex) {
        unread(
            unreadTexts,
            log,
            file,
            "cannot be re-read: " + ex.getMessage(),
            "no snippets or answer_leak from it");
      }
    }
  }

  /**
   * Why a corpus file named in the index cannot be read here, or null when it can. A URI ({@code
   * hdfs://}, {@code s3a://}, ...) is never read by the local engine (and must not go through
   * {@link Path#of}, which would turn {@code hdfs://host/x} into {@code hdfs:/host/x}).
   */
  private static String unreadable(String file) {
    if (CorpusFiles.hasScheme(file)) {
      return "is on another file system, which this machine does not read (check with --engine"
          + " spark, or copy the corpus here and index it)";
    }
    return Files.isReadable(Path.of(file)) ? null : "is not readable here (moved or deleted?)";
  }

  private static void unread(
      List<Unread> to, PrintWriter log, String file, String reason, String consequence) {
    to.add(new Unread(file, reason));
    log.println("warning: corpus file " + file + " " + reason + ": " + consequence);
  }

  @Override
  public List<Unread> unreadTexts() {
    return List.copyOf(unreadTexts);
  }

  @Override
  public List<Unread> unreadForShortItems() {
    return List.copyOf(unreadShort);
  }

  @Override
  public void scanShortItems(ShortItemScan scan, PrintWriter log) throws IOException {
    IndexState st = index.state();
    for (IndexState.FileEntry f : st.files) {
      if (!f.done()) {
        continue;
      }
      String unreadable = unreadable(f.path);
      if (unreadable != null) {
        unread(unreadShort, log, f.path, unreadable, "short items not checked against it");
        continue;
      }
      Path path = Path.of(f.path);
      CorpusReaders.forFile(path, st.textFields, st.idField)
          .readTokens(
              CorpusFile.local(path),
              index.scheme().normalization(),
              d -> {
                scan.visit(f.path, d);
                return true;
              },
              new FileStats());
    }
  }
}
