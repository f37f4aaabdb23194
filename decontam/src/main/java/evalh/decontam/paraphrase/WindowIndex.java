package evalh.decontam.paraphrase;

import evalh.decontam.corpus.CorpusFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * An open window index: the {@link WindowSource} of the local engine (candidates by a Lucene query
 * per item, window terms from doc values, texts and provenance from stored fields). Opening refuses
 * an index without windows or with files an interrupted build left {@code started} (either would
 * call contaminated items clean).
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
  private final IndexSearcher searcher;
  private final WindowIndexState state;
  private final Map<Integer, String> paths = new HashMap<>();

  private WindowIndex(Path dir, DirectoryReader reader, WindowIndexState state) {
    this.dir = dir;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.searcher.setQueryCache(null); // every item asks other terms: caching only costs
    this.state = state;
    state.files.forEach(f -> paths.put(f.ord, f.path));
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
   * The windows and the windows holding each term, deleted windows (of a re-indexed file) not
   * counted: Lucene's doc freq counts them until a merge drops them, so then the postings are
   * counted.
   */
  @Override
  public Stats stats(Set<String> terms) throws IOException {
    Map<String, Long> df = new HashMap<>();
    for (String t : terms) {
      Term term = new Term(WindowIndexer.TERMS, t);
      if (!reader.hasDeletions()) {
        df.put(t, (long) reader.docFreq(term));
        continue;
      }
      long n = 0;
      for (LeafReaderContext leaf : reader.leaves()) {
        PostingsEnum p = leaf.reader().postings(term, PostingsEnum.NONE);
        if (p == null) {
          continue;
        }
        Bits live = leaf.reader().getLiveDocs();
        for (int d = p.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = p.nextDoc()) {
          n += live == null || live.get(d) ? 1 : 0;
        }
      }
      df.put(t, n);
    }
    return new Stats(reader.numDocs(), df);
  }

  @Override
  public List<List<Candidates.Candidate>> candidates(List<Query> queries, int k, int threads) {
    return Parallel.map(queries.size(), threads, i -> candidates(queries.get(i), k));
  }

  /**
   * One query's candidates: Lucene finds the windows of the {@code k} highest overlaps, all ties of
   * the k-th included (block-max pruning of constant-score clauses, whose float sums are exact
   * integers); provenance from doc values orders them and picks {@code k}; their lexical scores
   * come from the stored terms.
   */
  List<Candidates.Candidate> candidates(Query q, int k) {
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
      TopWithTies top = searcher.search(b.build(), TopWithTies.manager(k));
      int[] docs = top.docs();
      float[] scores = top.scores();
      Integer[] byDoc = new Integer[docs.length];
      for (int i = 0; i < byDoc.length; i++) {
        byDoc[i] = i;
      }
      Arrays.sort(byDoc, Comparator.comparingInt(i -> docs[i]));
      List<Candidates.Candidate> all = new ArrayList<>(docs.length);
      DocValuesCursor cur = new DocValuesCursor();
      for (int i : byDoc) {
        LeafReader leaf = cur.seek(docs[i]);
        all.add(
            new Candidates.Candidate(
                path((int) cur.numeric(leaf, WindowIndexer.FILE_ORD)),
                cur.numeric(leaf, WindowIndexer.POS),
                (int) cur.numeric(leaf, WindowIndexer.WORD),
                (long) scores[i],
                Double.NaN,
                docs[i]));
      }
      List<Candidates.Candidate> best = new ArrayList<>(Candidates.best(all, k));
      best.sort(Comparator.comparingLong(Candidates.Candidate::ref));
      DocValuesCursor tcur = new DocValuesCursor();
      List<Candidates.Candidate> out = new ArrayList<>(best.size());
      for (Candidates.Candidate c : best) {
        LeafReader leaf = tcur.seek((int) c.ref());
        out.add(
            new Candidates.Candidate(
                c.file(),
                c.position(),
                c.wordOffset(),
                c.overlap(),
                Candidates.lexical(q.terms(), tcur.terms(leaf)),
                c.ref()));
      }
      out.sort(Candidates.ORDER);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String path(int ord) {
    String p = paths.get(ord);
    if (p == null) {
      throw new IllegalStateException(dir + ": window index metadata lacks file ordinal " + ord);
    }
    return p;
  }

  /**
   * Doc values of ascending global doc ids, one iterator per leaf and field (doc values iterators
   * only move forward).
   */
  private final class DocValuesCursor {
    private final Map<String, NumericDocValues> numeric = new HashMap<>();
    private BinaryDocValues binary;
    private int leafIndex = -1;
    private int doc;

    LeafReader seek(int globalDoc) {
      int li = ReaderUtil.subIndex(globalDoc, reader.leaves());
      if (li != leafIndex) {
        leafIndex = li;
        numeric.clear();
        binary = null;
      }
      LeafReaderContext ctx = reader.leaves().get(li);
      doc = globalDoc - ctx.docBase;
      return ctx.reader();
    }

    long numeric(LeafReader leaf, String field) throws IOException {
      NumericDocValues v = numeric.get(field);
      if (v == null) {
        v = DocValues.getNumeric(leaf, field);
        numeric.put(field, v);
      }
      if (!v.advanceExact(doc)) {
        throw new IllegalStateException(dir + ": window " + doc + " lacks its " + field);
      }
      return v.longValue();
    }

    String[] terms(LeafReader leaf) throws IOException {
      if (binary == null) {
        binary = DocValues.getBinary(leaf, WindowIndexer.TERMS);
      }
      if (!binary.advanceExact(doc)) {
        throw new IllegalStateException(dir + ": window " + doc + " lacks its terms");
      }
      String s = binary.binaryValue().utf8ToString();
      return s.isEmpty() ? new String[0] : s.split(" ");
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
