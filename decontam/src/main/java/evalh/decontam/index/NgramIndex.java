package evalh.decontam.index;

import evalh.decontam.analysis.NgramTerms;
import evalh.decontam.text.NgramScheme;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;

/**
 * Read side of an n-gram index: "which live documents contain this n-gram, and how many" as a term
 * lookup, plus stored provenance. Opens one index or all shards of a {@link ShardManifest} together
 * (a {@link MultiReader}): the shards' file ordinals are renumbered into one metadata, so callers
 * see one index. Thread-safe; each thread takes its own {@link Lookup}.
 */
public final class NgramIndex implements Closeable {
  private final Path dir;
  private final List<FSDirectory> directories;
  private final IndexReader reader;
  private final IndexState state;

  /** Per shard: first document number and the offset added to its file ordinals. */
  private final int[] docStarts;

  private final int[] ordBase;

  private NgramIndex(
      Path dir,
      List<FSDirectory> directories,
      IndexReader reader,
      IndexState state,
      int[] docStarts,
      int[] ordBase) {
    this.dir = dir;
    this.directories = directories;
    this.reader = reader;
    this.state = state;
    this.docStarts = docStarts;
    this.ordBase = ordBase;
  }

  /**
   * Opens the last commit of the index in {@code path}, or every shard of the manifest at {@code
   * path} (a manifest file, or a directory holding {@value ShardManifest#FILE}).
   */
  public static NgramIndex open(Path path) throws IOException {
    Path manifest = ShardManifest.locate(path);
    if (manifest != null) {
      return openShards(manifest, ShardManifest.read(manifest).shardDirs(manifest));
    }
    FSDirectory d = FSDirectory.open(path);
    try {
      if (!DirectoryReader.indexExists(d)) {
        throw new IOException(
            path + " holds no index (build one with: evalh index) and no " + ShardManifest.FILE);
      }
      DirectoryReader r = DirectoryReader.open(d);
      IndexState s = IndexState.fromCommit(r.getIndexCommit().getUserData(), path);
      return new NgramIndex(path, List.of(d), r, s, new int[] {0}, new int[] {0});
    } catch (IOException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  private static NgramIndex openShards(Path manifest, List<Path> shardDirs) throws IOException {
    List<FSDirectory> dirs = new ArrayList<>();
    List<DirectoryReader> readers = new ArrayList<>();
    try {
      IndexState merged = null;
      Map<String, Path> fileShard = new HashMap<>();
      int[] starts = new int[shardDirs.size()];
      int[] bases = new int[shardDirs.size()];
      int docBase = 0;
      int nextOrd = 0;
      for (int i = 0; i < shardDirs.size(); i++) {
        Path sd = shardDirs.get(i);
        FSDirectory d = FSDirectory.open(sd);
        dirs.add(d);
        if (!DirectoryReader.indexExists(d)) {
          throw new IOException(manifest + ": shard " + sd + " holds no index");
        }
        DirectoryReader r = DirectoryReader.open(d);
        readers.add(r);
        IndexState s = IndexState.fromCommit(r.getIndexCommit().getUserData(), sd);
        if (merged == null) {
          merged = s.copy();
          merged.files = new ArrayList<>();
        } else if (!merged.scheme().equals(s.scheme())
            || !merged.textFields.equals(s.textFields)
            || !java.util.Objects.equals(merged.idField, s.idField)) {
          throw new IOException(
              manifest
                  + ": shard "
                  + sd
                  + " was built with another scheme or fields ("
                  + s.scheme()
                  + " "
                  + s.textFields
                  + ") than the first shard ("
                  + merged.scheme()
                  + " "
                  + merged.textFields
                  + ")");
        }
        starts[i] = docBase;
        bases[i] = nextOrd;
        docBase += r.maxDoc();
        int maxOrd = -1;
        for (IndexState.FileEntry f : s.files) {
          Path prev = fileShard.putIfAbsent(f.path, sd);
          if (prev != null) {
            throw new IOException(
                manifest + ": corpus file " + f.path + " is in two shards: " + prev + " and " + sd);
          }
          IndexState.FileEntry g = new IndexState.FileEntry();
          g.ord = bases[i] + f.ord;
          g.path = f.path;
          g.size = f.size;
          g.mtimeMs = f.mtimeMs;
          g.status = f.status;
          g.stats = f.stats;
          merged.files.add(g);
          maxOrd = Math.max(maxOrd, f.ord);
        }
        nextOrd += maxOrd + 1;
      }
      MultiReader multi = new MultiReader(readers.toArray(new IndexReader[0]), true);
      return new NgramIndex(manifest.getParent(), dirs, multi, merged, starts, bases);
    } catch (IOException | RuntimeException e) {
      for (DirectoryReader r : readers) {
        r.close();
      }
      for (FSDirectory d : dirs) {
        d.close();
      }
      throw e;
    }
  }

  public Path dir() {
    return dir;
  }

  public IndexState state() {
    return state;
  }

  public NgramScheme scheme() {
    return state.scheme();
  }

  public int numDocs() {
    return reader.numDocs();
  }

  /** A per-thread term lookup. */
  public Lookup lookup() throws IOException {
    return new Lookup();
  }

  /** Number of shards (1 for a plain index). */
  public int shards() {
    return docStarts.length;
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      IOUtils.close(directories);
    }
  }

  /** Term lookups and stored-field reads for one thread. */
  public final class Lookup {
    private final List<LeafReaderContext> leaves = reader.leaves();
    private final TermsEnum[] terms = new TermsEnum[leaves.size()];
    private final Bits[] live = new Bits[leaves.size()];
    private final StoredFields stored;
    private final byte[] bytes = new byte[8];
    private final BytesRef term = new BytesRef(bytes);
    private PostingsEnum postings;

    Lookup() throws IOException {
      for (int i = 0; i < terms.length; i++) {
        Terms t = leaves.get(i).reader().terms(NgramTerms.FIELD);
        terms[i] = t == null ? null : t.iterator();
        live[i] = leaves.get(i).reader().getLiveDocs();
      }
      stored = reader.storedFields();
    }

    /**
     * Number of live documents containing the n-gram {@code hash}. When that number is at most
     * {@code collectLimit}, {@code docs} receives their document numbers (it is cleared first).
     */
    public int docFreq(long hash, int collectLimit, IntList docs) throws IOException {
      NgramTerms.encode(hash, bytes);
      docs.clear();
      int df = 0;
      for (int i = 0; i < terms.length; i++) {
        TermsEnum te = terms[i];
        if (te == null || !te.seekExact(term)) {
          continue;
        }
        Bits lv = live[i];
        if (lv == null && df + te.docFreq() > collectLimit) {
          df += te.docFreq();
          continue;
        }
        int base = leaves.get(i).docBase;
        postings = te.postings(postings, PostingsEnum.NONE);
        for (int d = postings.nextDoc();
            d != DocIdSetIterator.NO_MORE_DOCS;
            d = postings.nextDoc()) {
          if (lv == null || lv.get(d)) {
            df++;
            if (df <= collectLimit) {
              docs.add(base + d);
            }
          }
        }
      }
      if (df > collectLimit) {
        docs.clear();
      }
      return df;
    }

    /** Provenance of a document number. */
    public Provenance provenance(int doc) throws IOException {
      Document d = stored.document(doc);
      int ord =
          ordBase[ReaderUtil.subIndex(doc, docStarts)]
              + Integer.parseInt(d.get(CorpusIndexer.FILE));
      Number off =
          d.getField(CorpusIndexer.OFF) == null
              ? null
              : d.getField(CorpusIndexer.OFF).numericValue();
      return new Provenance(
          doc,
          ord,
          state.path(ord),
          d.getField(CorpusIndexer.POS).numericValue().longValue(),
          off == null ? -1 : off.longValue(),
          d.get(CorpusIndexer.ID));
    }
  }

  /** A growable int list (document numbers). */
  public static final class IntList {
    private int[] a = new int[16];
    private int size;

    public void clear() {
      size = 0;
    }

    public void add(int v) {
      if (size == a.length) {
        a = java.util.Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }

    public int size() {
      return size;
    }

    public int get(int i) {
      return a[i];
    }
  }
}
