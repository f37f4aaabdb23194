package evalh.decontam.index;

import evalh.decontam.analysis.NgramTerms;
import evalh.decontam.text.NgramScheme;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Read side of an n-gram index: "which live documents contain this n-gram, and how many" as a term
 * lookup, plus stored provenance. Thread-safe; each thread takes its own {@link Lookup}.
 */
public final class NgramIndex implements Closeable {
  private final Path dir;
  private final FSDirectory directory;
  private final DirectoryReader reader;
  private final IndexState state;

  private NgramIndex(Path dir, FSDirectory directory, DirectoryReader reader, IndexState state) {
    this.dir = dir;
    this.directory = directory;
    this.reader = reader;
    this.state = state;
  }

  /** Opens the last commit of the index in {@code dir}. */
  public static NgramIndex open(Path dir) throws IOException {
    FSDirectory d = FSDirectory.open(dir);
    try {
      if (!DirectoryReader.indexExists(d)) {
        throw new IOException(dir + " holds no index (build one with: evalh index)");
      }
      DirectoryReader r = DirectoryReader.open(d);
      IndexState s = IndexState.fromCommit(r.getIndexCommit().getUserData(), dir);
      return new NgramIndex(dir, d, r, s);
    } catch (IOException | RuntimeException e) {
      d.close();
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

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      directory.close();
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
      int ord = Integer.parseInt(d.get(CorpusIndexer.FILE));
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
