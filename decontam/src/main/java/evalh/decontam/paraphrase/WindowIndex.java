package evalh.decontam.paraphrase;

import evalh.decontam.corpus.CorpusFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * An open window index: the {@link WindowSource} of the local engine (candidates by a Lucene query
 * per item; window terms, statistics and provenance from doc values, {@link TermScan}; texts from
 * stored fields). Opening refuses an index without windows or with files an interrupted build left
 * {@code started} (either would call contaminated items clean).
 */
public final class WindowIndex implements WindowSource, Closeable {
  /** A window with its provenance (serializable: a distributed scan sends it to the driver). */
  public record WindowDoc(
      String file,
      long position,
      boolean parquet,
      long byteOffset,
      String id,
      int wordOffset,
      String text)
      implements java.io.Serializable {}

  private final Path dir;
  private final DirectoryReader reader;
  private final WindowIndexState state;
  private final IndexSearcher searcher;
  private final TermScan scan;

  private WindowIndex(Path dir, DirectoryReader reader, WindowIndexState state) {
    this.dir = dir;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.searcher.setQueryCache(null); // every item asks other terms: caching only costs
    this.state = state;
    String[] paths = new String[state.files.stream().mapToInt(f -> f.ord + 1).max().orElse(0)];
    state.files.forEach(f -> paths[f.ord] = f.path);
    this.scan = TermScan.of(reader, paths);
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

  @Override
  public String describe() {
    return "window index " + dir;
  }

  /**
   * The live windows and the live windows holding each term (a re-indexed file's old windows are
   * deleted but stay in their segment until a merge drops them: they are skipped).
   */
  @Override
  public Stats stats(Set<String> terms) throws IOException {
    return new Stats(reader.numDocs(), scan.docFreqs(terms));
  }

  /**
   * Each query's candidates ({@link #top}), then each candidate's lexical score from its stored
   * terms, every candidate window's terms read once.
   */
  @Override
  public List<List<Candidates.Candidate>> candidates(List<Query> queries, int k, int threads)
      throws IOException {
    List<List<TermScan.Hit>> top =
        Parallel.map(queries.size(), threads, i -> top(queries.get(i), k));
    int pairs = 0;
    for (List<TermScan.Hit> hs : top) {
      pairs += hs.size();
    }
    // (doc, query, rank) of every pair, by doc: each window's terms are read once
    long[] byDoc = new long[pairs];
    int[] pairQuery = new int[pairs];
    int[] pairRank = new int[pairs];
    int at = 0;
    for (int q = 0; q < top.size(); q++) {
      for (int i = 0; i < top.get(q).size(); i++) {
        byDoc[at] = ((long) top.get(q).get(i).doc() << 32) | at;
        pairQuery[at] = q;
        pairRank[at] = i;
        at++;
      }
    }
    Arrays.sort(byDoc);
    int[] docs = new int[pairs];
    int[] first = new int[pairs + 1];
    int nd = 0;
    for (int p = 0; p < pairs; p++) {
      int d = (int) (byDoc[p] >>> 32);
      if (nd == 0 || docs[nd - 1] != d) {
        docs[nd] = d;
        first[nd++] = p;
      }
    }
    first[nd] = pairs;
    int[] distinct = Arrays.copyOf(docs, nd);
    double[][] lexical = new double[top.size()][];
    for (int q = 0; q < top.size(); q++) {
      lexical[q] = new double[top.get(q).size()];
    }
    scan.terms(
        distinct,
        threads,
        (doc, terms) -> {
          int x = Arrays.binarySearch(distinct, doc);
          for (int p = first[x]; p < first[x + 1]; p++) {
            int pair = (int) byDoc[p];
            int q = pairQuery[pair];
            lexical[q][pairRank[pair]] = Candidates.lexical(queries.get(q).terms(), terms);
          }
        });
    List<List<Candidates.Candidate>> out = new ArrayList<>(top.size());
    for (int q = 0; q < top.size(); q++) {
      List<Candidates.Candidate> cs = new ArrayList<>(top.get(q).size());
      for (int i = 0; i < top.get(q).size(); i++) {
        TermScan.Hit h = top.get(q).get(i);
        cs.add(
            new Candidates.Candidate(
                scan.path(h), h.position(), h.wordOffset(), h.overlap(), lexical[q][i], h.doc()));
      }
      out.add(cs);
    }
    return out;
  }

  /**
   * One query's candidates: of the windows with at least the query's least overlap, Lucene finds
   * those of the {@code k} highest overlaps, all ties of the k-th included (max-score pruning of
   * constant-score clauses from the least overlap on, whose float sums are exact integers);
   * provenance from doc values orders them and picks {@code k}.
   */
  private List<TermScan.Hit> top(Query q, int k) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    int clauses = 0;
    List<String> terms = q.terms().terms();
    for (int i = 0; i < terms.size(); i++) {
      if (q.units()[i] > 0) {
        b.add(
            new BoostQuery(
                new ConstantScoreQuery(new TermQuery(new Term(WindowIndexer.TERMS, terms.get(i)))),
                q.units()[i]),
            BooleanClause.Occur.SHOULD);
        clauses++;
      }
    }
    if (clauses == 0) {
      return List.of();
    }
    try {
      TopWithTies top = searcher.search(b.build(), TopWithTies.manager(k, (float) q.minOverlap()));
      int[] docs = top.docs();
      float[] scores = top.scores();
      Integer[] byDoc = new Integer[docs.length];
      for (int i = 0; i < byDoc.length; i++) {
        byDoc[i] = i;
      }
      Arrays.sort(byDoc, Comparator.comparingInt(i -> docs[i]));
      int[] sortedDocs = new int[docs.length];
      long[] overlaps = new long[docs.length];
      for (int i = 0; i < byDoc.length; i++) {
        sortedDocs[i] = docs[byDoc[i]];
        overlaps[i] = (long) scores[byDoc[i]];
      }
      List<TermScan.Hit> all = scan.hits(sortedDocs, overlaps);
      return List.copyOf(all.subList(0, Math.min(k, all.size())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<WindowDoc> windows(List<Candidates.Candidate> candidates) throws IOException {
    StoredFields sf = reader.storedFields();
    List<WindowDoc> out = new ArrayList<>(candidates.size());
    for (Candidates.Candidate c : candidates) {
      Document d = sf.document((int) c.ref());
      out.add(
          new WindowDoc(
              c.file(),
              c.position(),
              CorpusFiles.isParquet(c.file()),
              d.getField(WindowIndexer.OFF).numericValue().longValue(),
              d.get(WindowIndexer.ID),
              c.wordOffset(),
              d.get(WindowIndexer.TEXT)));
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    try (FSDirectory d = (FSDirectory) reader.directory()) {
      reader.close();
    }
  }
}
