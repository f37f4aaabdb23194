package evalh.decontam.paraphrase;

import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.IndexState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Builds or extends a window index: one Lucene document per window ({@link Windows#read}), its
 * distinct terms by {@link ParaphraseAnalyzer} as sorted-set doc values in field {@value #TERMS}
 * (per segment a sorted term dictionary and each window's term ordinals: the candidate scan reads
 * them window after window, the scoring without analyzing the window again), its raw text stored
 * for snippets and the encoder ({@value #TEXT}), and its provenance: file ordinal ({@value #FILE}
 * indexed, to delete a file's windows; {@value #FILE_ORD} doc values), line or row ({@value #POS})
 * and word offset in the document ({@value #WORD}) as doc values (candidate ties are broken by
 * provenance), the document's byte offset ({@value #OFF}) and id ({@value #ID}) stored. The n-gram
 * index's rules: files are the unit of work and of commit (a file becomes {@code done} in the
 * commit that makes its last window durable), re-running skips unchanged done files, re-indexes
 * changed ones and first deletes the windows of a file an interrupted run left {@code started}; an
 * empty result is an error.
 */
public final class WindowIndexer {
  /** The window index's directory inside an n-gram index directory. */
  public static final String DIR = "paraphrase";

  /** Distinct analyzed terms: indexed (postings only) and as sorted-set doc values. */
  static final String TERMS = "t";

  static final String TEXT = "text";
  static final String FILE = "file";
  static final String FILE_ORD = "file_ord";
  static final String POS = "pos";
  static final String OFF = "off";
  static final String ID = "id";
  static final String WORD = "word";

  static final FieldType WINDOW_FIELD = new FieldType();

  static {
    WINDOW_FIELD.setTokenized(true);
    WINDOW_FIELD.setIndexOptions(IndexOptions.DOCS);
    WINDOW_FIELD.setOmitNorms(true);
    WINDOW_FIELD.setStored(false);
    WINDOW_FIELD.freeze();
  }

  private final ParaphraseAnalyzer analyzer = new ParaphraseAnalyzer();

  /** What a build did. */
  public record Report(
      List<String> indexed, List<String> skipped, long windows, long words, double seconds) {}

  private final Path dir;
  private final WindowOptions options;
  private final PrintWriter log;

  /** Whether a build that changed the index merges it into one segment. */
  private boolean merge = true;

  public WindowIndexer(Path dir, WindowOptions options, PrintWriter log) {
    this.dir = dir;
    this.options = options;
    this.log = log;
  }

  /**
   * Leaves the segments as indexing left them, as in an index whose final merge was interrupted:
   * for tests of reads over many segments and deleted windows.
   */
  WindowIndexer withoutMerge() {
    merge = false;
    return this;
  }

  /** The metadata of the window index in {@code dir}, or null when it holds none. */
  public static WindowIndexState existing(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Directory d = FSDirectory.open(dir)) {
      if (!DirectoryReader.indexExists(d)) {
        return null;
      }
      List<IndexCommit> commits = DirectoryReader.listCommits(d);
      return WindowIndexState.fromCommit(commits.getLast().getUserData(), dir);
    }
  }

  /** Indexes {@code files} (local or not) into the window index directory. */
  public Report build(List<CorpusFile> files) throws IOException {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("empty corpus: no corpus files given");
    }
    long t0 = System.nanoTime();
    Files.createDirectories(dir);
    WindowIndexState state = existing(dir);
    if (state == null) {
      refuseForeignFiles(dir);
      state = WindowIndexState.create(options);
    } else if (state.window != options.window()
        || state.step != options.step()
        || !state.textFields.equals(options.textFields())
        || !java.util.Objects.equals(state.idField, options.idField())) {
      throw new IllegalArgumentException(
          dir
              + " was built with window="
              + state.window
              + " step="
              + state.step
              + " fields="
              + state.textFields
              + " id="
              + state.idField
              + "; this run asks for window="
              + options.window()
              + " step="
              + options.step()
              + " fields="
              + options.textFields()
              + " id="
              + options.idField());
    }
    IndexWriterConfig cfg = new IndexWriterConfig(new ParaphraseAnalyzer());
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    cfg.setRAMBufferSizeMB(options.ramBufferMb());
    cfg.setCommitOnClose(false);
    List<IndexState.FileEntry> todo = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Map<String, CorpusFile> sources = new HashMap<>();
    try (Directory d = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(d, cfg)) {
      int nextOrd = state.files.stream().mapToInt(f -> f.ord + 1).max().orElse(0);
      for (CorpusFile f : files) {
        sources.put(f.path(), f);
        long size = f.size();
        long mtime = f.mtimeMs();
        IndexState.FileEntry e = state.file(f.path());
        if (e != null && e.done() && e.size == size && e.mtimeMs == mtime) {
          skipped.add(f.path());
          continue;
        }
        if (e == null) {
          e = new IndexState.FileEntry();
          e.ord = nextOrd++;
          e.path = f.path();
          state.files.add(e);
        } else {
          writer.deleteDocuments(new Term(FILE, Integer.toString(e.ord)));
          log.println(
              (e.done() ? "re-indexing changed file " : "resuming interrupted file ")
                  + f.path()
                  + " (windows)");
        }
        e.size = size;
        e.mtimeMs = mtime;
        e.status = "started";
        e.stats = null;
        todo.add(e);
      }
      commit(writer, state);
      if (!skipped.isEmpty()) {
        log.println(skipped.size() + " file(s) already in the window index, unchanged: skipped");
      }
      todo.sort(Comparator.comparingLong((IndexState.FileEntry e) -> e.size).reversed());
      long[] totals = runWorkers(writer, state, todo, sources);
      if (merge && !todo.isEmpty()) {
        // one segment: a candidate query's cost is mostly per segment and per window of doc ids
        // (measured at 1 GB: the check takes half the time on 1 segment as on 15); the last
        // commit stays valid if the merge is interrupted
        long m0 = System.nanoTime();
        writer.forceMerge(1);
        commit(writer, state);
        log.printf(
            Locale.ROOT,
            "window index merged into one segment in %.1f s%n",
            (System.nanoTime() - m0) / 1e9);
      }
      writer.close();
      long live;
      try (DirectoryReader r = DirectoryReader.open(d)) {
        live = r.numDocs();
      }
      if (live == 0) {
        throw new IllegalArgumentException(
            "empty corpus: no document with a non-empty "
                + String.join("/", options.textFields())
                + " field in "
                + files.size()
                + " file(s)");
      }
      return new Report(
          todo.stream().map(e -> e.path).toList(),
          skipped,
          live,
          totals[1],
          (System.nanoTime() - t0) / 1e9);
    }
  }

  private static final java.util.regex.Pattern LUCENE_OR_EVALH =
      java.util.regex.Pattern.compile(
          "write\\.lock|segments(_[0-9a-z]+)?|pending_segments_[0-9a-z]+|_[a-z0-9]+(_.*)?\\..*"
              + "|"
              + java.util.regex.Pattern.quote(WindowIndexState.MIRROR_FILE)
              + "|\\.evalh-window-index.*\\.tmp");

  /** As the n-gram index: never let Lucene's IndexWriter loose in a directory of other files. */
  static void refuseForeignFiles(Path dir) throws IOException {
    List<String> foreign;
    try (Stream<Path> s = Files.list(dir)) {
      foreign =
          s.map(p -> p.getFileName().toString())
              .filter(n -> !LUCENE_OR_EVALH.matcher(n).matches())
              .sorted()
              .limit(5)
              .toList();
    }
    if (!foreign.isEmpty()) {
      throw new IllegalArgumentException(
          "refusing to build a window index in "
              + dir
              + ": the directory is not empty and not an evalh window index (it holds "
              + String.join(", ", foreign)
              + ")");
    }
  }

  private long[] runWorkers(
      IndexWriter writer,
      WindowIndexState state,
      List<IndexState.FileEntry> todo,
      Map<String, CorpusFile> sources)
      throws IOException {
    ConcurrentLinkedQueue<IndexState.FileEntry> queue = new ConcurrentLinkedQueue<>(todo);
    int threads = Math.min(options.threads(), Math.max(1, todo.size()));
    long[] totals = new long[2];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  IndexState.FileEntry e;
                  while ((e = queue.poll()) != null) {
                    long[] counts = new long[2];
                    FileStats stats = indexFile(writer, e, sources.get(e.path), counts);
                    synchronized (this) {
                      totals[0] += counts[0];
                      totals[1] += counts[1];
                      e.stats = stats;
                      e.status = "done";
                      commit(writer, state);
                      log.println(e.path + ": " + counts[0] + " windows; " + stats.summary());
                      log.flush();
                    }
                  }
                  return null;
                }));
      }
      CorpusIndexer.awaitAll(futures);
    } finally {
      pool.shutdownNow();
    }
    return totals;
  }

  private FileStats indexFile(
      IndexWriter writer, IndexState.FileEntry e, CorpusFile file, long[] counts)
      throws IOException {
    FileStats stats = new FileStats();
    String ord = Integer.toString(e.ord);
    counts[0] =
        Windows.read(
            file,
            options,
            analyzer,
            (doc, w, text, terms) -> writer.addDocument(document(ord, e.ord, doc, w, text, terms)),
            stats);
    counts[1] = stats.tokens;
    return stats;
  }

  /**
   * One window's document: its distinct analyzed terms indexed (postings only: candidates count
   * exact terms, with no frequencies or norms) and as sorted-set doc values (statistics and scoring
   * read them; no window is analyzed again), its text and provenance stored.
   */
  static Document document(
      String ord, int fileOrd, CorpusDoc d, Windows.Window w, String text, String[] terms) {
    Document doc = new Document();
    doc.add(new Field(TERMS, new TermsStream(terms), WINDOW_FIELD));
    for (String t : terms) {
      doc.add(new SortedSetDocValuesField(TERMS, new BytesRef(t)));
    }
    doc.add(new StoredField(TEXT, text));
    doc.add(new StringField(FILE, ord, Field.Store.NO));
    doc.add(new NumericDocValuesField(FILE_ORD, fileOrd));
    doc.add(new NumericDocValuesField(POS, d.position()));
    doc.add(new NumericDocValuesField(WORD, w.wordOffset()));
    doc.add(new StoredField(OFF, d.byteOffset()));
    if (d.id() != null) {
      doc.add(new StoredField(ID, d.id()));
    }
    return doc;
  }

  /** The distinct terms of a window as a token stream (they come analyzed already). */
  private static final class TermsStream extends TokenStream {
    private final String[] terms;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private int next;

    TermsStream(String[] terms) {
      this.terms = terms;
    }

    @Override
    public boolean incrementToken() {
      if (next == terms.length) {
        return false;
      }
      clearAttributes();
      term.setEmpty().append(terms[next++]);
      return true;
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      next = 0;
    }
  }

  private void commit(IndexWriter writer, WindowIndexState state) throws IOException {
    synchronized (this) {
      writer.setLiveCommitData(Map.of(WindowIndexState.COMMIT_KEY, state.toJson()).entrySet());
      writer.commit();
      state.writeMirror(dir);
    }
  }
}
