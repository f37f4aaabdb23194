package evalh.decontam.paraphrase;

import evalh.decontam.corpus.CorpusFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * An open window index: BM25 candidates for an item's terms, window texts and provenance. Opening
 * refuses an index without windows or with files an interrupted build left {@code started} (either
 * would call contaminated items clean).
 */
public final class WindowIndex implements Closeable {
  /** A window with its provenance. */
  public record WindowDoc(
      String file,
      long position,
      boolean parquet,
      long byteOffset,
      String id,
      int wordOffset,
      String text) {}

  private final Path dir;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final WindowIndexState state;

  private WindowIndex(Path dir, DirectoryReader reader, WindowIndexState state) {
    this.dir = dir;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.state = state;
  }

  /** Opens the window index in {@code dir}. */
  public static WindowIndex open(Path dir) throws IOException {
    FSDirectory d = FSDirectory.open(dir);
    try {
      List<IndexCommit> commits = DirectoryReader.listCommits(d);
      WindowIndexState st = WindowIndexState.fromCommit(commits.getLast().getUserData(), dir);
      DirectoryReader r = DirectoryReader.open(commits.getLast());
      if (r.numDocs() == 0) {
        r.close();
        throw new IllegalStateException(
            "window index "
                + dir
                + " holds no windows (a failed or interrupted build?), so every item would be"
                + " called clean; rebuild it with evalh index --paraphrase");
      }
      List<String> unfinished = st.unfinished();
      if (!unfinished.isEmpty()) {
        r.close();
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "window index %s is partial: %d corpus file(s) are still 'started' (an interrupted"
                    + " build): %s; resume it with evalh index --paraphrase --corpus <the same"
                    + " files> --out <its index directory>",
                dir,
                unfinished.size(),
                String.join(", ", unfinished.subList(0, Math.min(5, unfinished.size())))));
      }
      return new WindowIndex(dir, r, st);
    } catch (IOException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  public Path dir() {
    return dir;
  }

  public WindowIndexState state() {
    return state;
  }

  /** Windows in the index. */
  public long windows() {
    return reader.numDocs();
  }

  /** Windows holding each term. */
  long[] docFreqs(List<String> terms) {
    long[] df = new long[terms.size()];
    try {
      for (int i = 0; i < df.length; i++) {
        df[i] = reader.docFreq(new Term(WindowIndexer.TEXT, terms.get(i)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return df;
  }

  /**
   * The Lucene ids of the {@code k} best windows by BM25 for the item's terms, each term boosted by
   * its template factor (its weight over its idf, which BM25 applies itself).
   */
  int[] candidates(ItemTerms item, double[] templateFactors, int k) {
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    int clauses = 0;
    for (int i = 0; i < item.terms().size() && clauses < IndexSearcher.getMaxClauseCount(); i++) {
      if (templateFactors[i] <= 0) {
        continue;
      }
      q.add(
          new BoostQuery(
              new TermQuery(new Term(WindowIndexer.TEXT, item.terms().get(i))),
              (float) templateFactors[i]),
          BooleanClause.Occur.SHOULD);
      clauses++;
    }
    if (clauses == 0) {
      return new int[0];
    }
    try {
      ScoreDoc[] top = searcher.search(q.build(), k).scoreDocs;
      int[] ids = new int[top.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = top[i].doc;
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stored window {@code doc}. */
  WindowDoc window(int doc) {
    try {
      StoredFields sf = reader.storedFields();
      Document d = sf.document(doc);
      String file = state.path(Integer.parseInt(d.get(WindowIndexer.FILE)));
      return new WindowDoc(
          file,
          d.getField(WindowIndexer.POS).numericValue().longValue(),
          CorpusFiles.isParquet(file),
          d.getField(WindowIndexer.OFF).numericValue().longValue(),
          d.get(WindowIndexer.ID),
          d.getField(WindowIndexer.WORD).numericValue().intValue(),
          d.get(WindowIndexer.TEXT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try (FSDirectory d = (FSDirectory) reader.directory()) {
      reader.close();
    }
  }
}
