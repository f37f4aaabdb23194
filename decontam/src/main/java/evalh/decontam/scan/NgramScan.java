package evalh.decontam.scan;

import evalh.decontam.check.ShortItemScan;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.corpus.TokenizedDoc;
import evalh.decontam.index.CorpusReaders;
import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.NgramScheme;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The scan's corpus pass, shared by the local scan ({@link LocalScan}) and every Spark partition:
 * each document's token hashes from the reader's fast path ({@link
 * evalh.decontam.corpus.CorpusReader#readTokens}), its n-grams hashed with {@link NgramHasher}
 * (every {@code stride}-th, as an index of the scheme holds them) and probed in the items' n-gram
 * set. Not thread-safe: one per thread.
 */
public final class NgramScan {
  /** Receives each document that contains item n-grams, and those n-grams (distinct). */
  @FunctionalInterface
  public interface Sink {
    void matched(TokenizedDoc doc, long[] hashes, int count);
  }

  private final NgramScheme scheme;
  private final LongProbeSet wanted;
  private long[] hits = new long[64];

  /**
   * @param itemHashes the items' n-gram hashes ({@link
   *     evalh.decontam.check.ItemChecker.QueryPlan#ngramHashes})
   */
  public NgramScan(NgramScheme scheme, long[] itemHashes) {
    this.scheme = scheme;
    this.wanted = new LongProbeSet(itemHashes);
  }

  /**
   * Scans one corpus file.
   *
   * @param shortItems receives every document for the whole-item match of short items (may be null)
   * @return the file's counts, tokens included
   */
  public FileStats scanFile(
      CorpusFile file, List<String> textFields, String idField, ShortItemScan shortItems, Sink sink)
      throws IOException {
    FileStats stats = new FileStats();
    String identity = file.path();
    boolean shorts = shortItems != null && !shortItems.isEmpty();
    CorpusReaders.forName(file.name(), textFields, idField)
        .readTokens(
            file,
            scheme.normalization(),
            doc -> {
              int k = matches(doc.tokens().array(), doc.tokens().size());
              if (k > 0) {
                sink.matched(doc, hits, k);
              }
              if (shorts) {
                shortItems.visit(identity, doc);
              }
              return true;
            },
            stats);
    return stats;
  }

  /**
   * The distinct item n-grams among the document's n-grams at positions {@code p % stride == 0}, in
   * {@link #hits}; returns their number.
   */
  int matches(long[] tokens, int size) {
    int n = scheme.n();
    int stride = scheme.stride();
    int k = 0;
    for (int p = 0; p + n <= size; p += stride) {
      long h = NgramHasher.ngramHash(tokens, p, n);
      if (wanted.contains(h)) {
        if (k == hits.length) {
          hits = Arrays.copyOf(hits, k * 2);
        }
        hits[k++] = h;
      }
    }
    if (k > 1) {
      Arrays.sort(hits, 0, k);
      int d = 1;
      for (int i = 1; i < k; i++) {
        if (hits[i] != hits[d - 1]) {
          hits[d++] = hits[i];
        }
      }
      k = d;
    }
    return k;
  }
}
