package evalh.decontam.index;

import evalh.decontam.analysis.NgramAnalyzer;
import evalh.decontam.analysis.NgramHashStream;
import evalh.decontam.analysis.NgramTerms;
import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.CorpusReader;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.corpus.TokenizedDoc;
import evalh.decontam.text.NgramScheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Builds or extends an n-gram index over corpus files. One Lucene document per corpus document:
 * field {@code ng} holds the hashed n-gram terms (docs-only postings, no norms, nothing stored);
 * {@code file} (indexed + stored) the file ordinal, {@code pos}/{@code off}/{@code id} the stored
 * provenance. Files are the unit of parallelism and of commit: when a file is finished its status
 * becomes {@code done} in the commit user data of the commit that makes its last documents durable.
 * Re-running skips done files with unchanged size and mtime, re-indexes changed ones, and for a
 * file left {@code started} by an interrupted run first deletes its partial documents.
 */
public final class CorpusIndexer {
  static final String FILE = "file";
  static final String POS = "pos";
  static final String OFF = "off";
  static final String ID = "id";

  /** The n-gram field: tokenized, docs-only postings, no norms, not stored, no term vectors. */
  public static final FieldType NGRAM_FIELD = new FieldType();

  static {
    NGRAM_FIELD.setTokenized(true);
    NGRAM_FIELD.setIndexOptions(IndexOptions.DOCS);
    NGRAM_FIELD.setOmitNorms(true);
    NGRAM_FIELD.setStored(false);
    NGRAM_FIELD.freeze();
  }

  private final Path indexDir;
  private final BuildOptions options;
  private final PrintWriter log;

  public CorpusIndexer(Path indexDir, BuildOptions options, PrintWriter log) {
    this.indexDir = indexDir;
    this.options = options;
    this.log = log;
  }

  /** Reads the metadata of an existing index, or null when {@code dir} holds none. */
  public static IndexState existing(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Directory d = FSDirectory.open(dir)) {
      if (!DirectoryReader.indexExists(d)) {
        return null;
      }
      List<org.apache.lucene.index.IndexCommit> commits = DirectoryReader.listCommits(d);
      return IndexState.fromCommit(commits.getLast().getUserData(), dir);
    }
  }

  /**
   * Lucene's IndexWriter deletes files it does not reference whose names look like its own, so a
   * new index may only be built in an empty directory or one holding the leftovers of an evalh
   * build that never committed (Lucene's own files and evalh's metadata mirror).
   */
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
          "refusing to build an index in "
              + dir
              + ": the directory is not empty and not an evalh index (it holds "
              + String.join(", ", foreign)
              + "); Lucene may delete files in it. Give --out a new or empty directory.");
    }
  }

  private static final java.util.regex.Pattern LUCENE_OR_EVALH =
      java.util.regex.Pattern.compile(
          "write\\.lock|segments(_[0-9a-z]+)?|pending_segments_[0-9a-z]+|_[a-z0-9]+(_.*)?\\..*"
              + "|"
              + java.util.regex.Pattern.quote(IndexState.MIRROR_FILE)
              + "|\\.evalh-index.*\\.tmp"
              // the paraphrase pass's window index (evalh index --paraphrase)
              + "|paraphrase");

  /** Indexes local {@code files} (sorted, absolute) into the index directory. */
  public BuildReport build(List<Path> files) throws IOException {
    return buildFiles(files.stream().map(CorpusFile::local).toList());
  }

  /** Indexes {@code files} (on any file system the readers can open) into the index directory. */
  public BuildReport buildFiles(List<CorpusFile> files) throws IOException {
    return buildFiles(files, false);
  }

  /**
   * As {@link #buildFiles(List)}; with {@code allowEmpty} an index without documents is kept (one
   * shard of a sharded index may hold only files without usable documents), otherwise it is an
   * error.
   */
  public BuildReport buildFiles(List<CorpusFile> files, boolean allowEmpty) throws IOException {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("empty corpus: no corpus files given");
    }
    long t0 = System.nanoTime();
    Files.createDirectories(indexDir);
    NgramScheme scheme = options.scheme();
    IndexState prior = existing(indexDir);
    if (prior == null) {
      refuseForeignFiles(indexDir);
    }
    IndexState state;
    if (prior != null) {
      checkCompatible(prior);
      state = prior;
    } else {
      state = IndexState.create(scheme, options.textFields(), options.idField());
    }
    IndexWriterConfig cfg = new IndexWriterConfig(NgramAnalyzer.forIndex(scheme));
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    cfg.setRAMBufferSizeMB(options.ramBufferMb());
    cfg.setUseCompoundFile(false);
    TieredMergePolicy mp = new TieredMergePolicy();
    mp.setNoCFSRatio(0.0);
    cfg.setMergePolicy(mp);
    cfg.setCommitOnClose(false);

    List<IndexState.FileEntry> todo = new ArrayList<>();
    Map<String, CorpusFile> sources = new HashMap<>();
    List<String> skipped = new ArrayList<>();
    try (Directory dir = FSDirectory.open(indexDir);
        IndexWriter writer = new IndexWriter(dir, cfg)) {
      int nextOrd = state.files.stream().mapToInt(f -> f.ord + 1).max().orElse(0);
      for (CorpusFile f : files) {
        String key = f.path();
        sources.put(key, f);
        long size = f.size();
        long mtime = f.mtimeMs();
        IndexState.FileEntry e = state.file(key);
        if (e != null && e.done() && e.size == size && e.mtimeMs == mtime) {
          skipped.add(key);
          continue;
        }
        if (e == null) {
          e = new IndexState.FileEntry();
          e.ord = nextOrd++;
          e.path = key;
          state.files.add(e);
        } else {
          // changed since indexed, or left half-done by an interrupted run: drop its documents
          writer.deleteDocuments(new Term(FILE, Integer.toString(e.ord)));
          log.println(
              (e.done() ? "re-indexing changed file " : "resuming interrupted file ") + key);
        }
        e.size = size;
        e.mtimeMs = mtime;
        e.status = "started";
        e.stats = null;
        todo.add(e);
      }
      commit(writer, state);
      if (!skipped.isEmpty()) {
        log.println(skipped.size() + " file(s) already indexed, unchanged: skipped");
      }
      todo.sort(Comparator.comparingLong((IndexState.FileEntry e) -> e.size).reversed());
      Totals totals = runWorkers(writer, state, todo, sources);
      writer.close();
      long live;
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        live = r.numDocs();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      if (live == 0 && !allowEmpty) {
        throw new IllegalArgumentException(
            "empty corpus: no document with a non-empty "
                + String.join("/", options.textFields())
                + " field in "
                + files.size()
                + " file(s)");
      }
      return new BuildReport(todo, skipped, live, secs, totals.textChars, totals.tokens);
    }
  }

  private void checkCompatible(IndexState prior) {
    NgramScheme want = options.scheme();
    NgramScheme have = prior.scheme();
    if (!want.equals(have)
        || !prior.textFields.equals(options.textFields())
        || !java.util.Objects.equals(prior.idField, options.idField())) {
      throw new IllegalArgumentException(
          indexDir
              + " was built with normalization="
              + have.normalization().id()
              + " n="
              + have.n()
              + " stride="
              + have.stride()
              + " window="
              + have.window()
              + " fields="
              + prior.textFields
              + " id="
              + prior.idField
              + "; this run asks for normalization="
              + want.normalization().id()
              + " n="
              + want.n()
              + " stride="
              + want.stride()
              + " window="
              + want.window()
              + " fields="
              + options.textFields()
              + " id="
              + options.idField()
              + " (use another --out, or the same settings to add files)");
    }
  }

  /** What the workers indexed, summed under the indexer's lock. */
  private static final class Totals {
    long textChars;
    long tokens;
  }

  private Totals runWorkers(
      IndexWriter writer,
      IndexState state,
      List<IndexState.FileEntry> todo,
      Map<String, CorpusFile> sources)
      throws IOException {
    ConcurrentLinkedQueue<IndexState.FileEntry> queue = new ConcurrentLinkedQueue<>(todo);
    int threads = Math.min(options.threads(), Math.max(1, todo.size()));
    Totals totals = new Totals();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  IndexState.FileEntry e;
                  while ((e = queue.poll()) != null) {
                    FileStats stats = indexFile(writer, e, sources.get(e.path));
                    synchronized (this) {
                      totals.textChars += stats.textChars;
                      totals.tokens += stats.tokens;
                      e.stats = stats;
                      e.status = "done";
                      commit(writer, state);
                      log.println(e.path + ": " + stats.summary());
                      log.flush();
                    }
                  }
                  return null;
                }));
      }
      awaitAll(futures);
    } finally {
      pool.shutdownNow();
    }
    return totals;
  }

  /**
   * Waits for every file worker, rethrowing the first failure as it was thrown (an {@link
   * UncheckedIOException} as its {@link IOException}).
   */
  public static void awaitAll(List<? extends Future<?>> futures) throws IOException {
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException ex) {
        Throwable c = ex.getCause();
        if (c instanceof IOException io) {
          throw io;
        }
        if (c instanceof UncheckedIOException u) {
          throw u.getCause();
        }
        if (c instanceof RuntimeException r) {
          throw r;
        }
        throw new IOException(c);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", ie);
      }
    }
  }

  private FileStats indexFile(IndexWriter writer, IndexState.FileEntry e, CorpusFile file)
      throws IOException {
    CorpusReader reader =
        CorpusReaders.forName(file.name(), options.textFields(), options.idField());
    FileStats stats = new FileStats();
    String ord = Integer.toString(e.ord);
    NgramHashStream terms = new NgramHashStream(options.scheme());
    reader.readTokens(
        file,
        options.scheme().normalization(),
        d -> {
          writer.addDocument(document(ord, d, terms));
          return true;
        },
        stats);
    return stats;
  }

  /** The Lucene document of a corpus document read by the token pass ({@code terms} reused). */
  static Document document(String ord, TokenizedDoc d, NgramHashStream terms) {
    Document doc = new Document();
    doc.add(new Field(NgramTerms.FIELD, terms.set(d.tokens()), NGRAM_FIELD));
    provenance(doc, ord, d.position(), d.byteOffset(), d.id());
    return doc;
  }

  static Document document(String ord, CorpusDoc d) {
    Document doc = new Document();
    doc.add(new Field(NgramTerms.FIELD, d.text(), NGRAM_FIELD));
    provenance(doc, ord, d.position(), d.byteOffset(), d.id());
    return doc;
  }

  private static void provenance(Document doc, String ord, long position, long offset, String id) {
    doc.add(new StringField(FILE, ord, Field.Store.YES));
    doc.add(new StoredField(POS, position));
    if (offset >= 0) {
      doc.add(new StoredField(OFF, offset));
    }
    if (id != null) {
      doc.add(new StoredField(ID, id));
    }
  }

  private void commit(IndexWriter writer, IndexState state) throws IOException {
    synchronized (this) {
      writer.setLiveCommitData(Map.of(IndexState.COMMIT_KEY, state.toJson()).entrySet());
      writer.commit();
      state.writeMirror(indexDir);
    }
  }
}
