package evalh.decontam.paraphrase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The window index's reads of its windows' terms (sorted-set doc values: per segment a sorted term
 * dictionary and each window's term ordinals) and provenance: the terms' document frequencies (one
 * pass over every live window's ordinals), candidate windows with their provenance in {@link
 * Candidates#ORDER}, and the candidate windows' terms as strings (ordinals resolved in ascending
 * order, windows in chunks) for their lexical scores.
 */
final class TermScan {
  /** Chosen windows whose terms are resolved at a time (bounds the memory of the last step). */
  private static final int CHUNK = 1 << 15;

  private final IndexReader reader;

  /** Per file ordinal: its rank among the file paths in {@link String#compareTo} order. */
  private final int[] rankOfOrd;

  /** Per rank: the file path. */
  private final String[] pathOfRank;

  private TermScan(IndexReader reader, int[] rankOfOrd, String[] pathOfRank) {
    this.reader = reader;
    this.rankOfOrd = rankOfOrd;
    this.pathOfRank = pathOfRank;
  }

  /** The file path of a hit. */
  String path(Hit h) {
    return pathOfRank[h.fileRank()];
  }

  /**
   * @param reader the window index
   * @param paths path of each file ordinal (null where none)
   */
  static TermScan of(IndexReader reader, String[] paths) {
    Integer[] ords = new Integer[paths.length];
    int n = 0;
    for (int i = 0; i < paths.length; i++) {
      if (paths[i] != null) {
        ords[n++] = i;
      }
    }
    Integer[] sorted = Arrays.copyOf(ords, n);
    Arrays.sort(sorted, Comparator.comparing(i -> paths[i]));
    int[] rank = new int[paths.length];
    Arrays.fill(rank, -1);
    String[] byRank = new String[sorted.length];
    for (int r = 0; r < sorted.length; r++) {
      rank[sorted[r]] = r;
      byRank[r] = paths[sorted[r]];
    }
    return new TermScan(reader, rank, byRank);
  }

  /**
   * The live windows holding each of {@code terms}: in a segment without deleted windows the
   * postings' document frequencies, else one pass over the live windows' ordinals.
   */
  Map<String, Long> docFreqs(Set<String> terms) throws IOException {
    List<String> vocab = new ArrayList<>(terms);
    long[] df = new long[vocab.size()];
    for (LeafReaderContext leaf : reader.leaves()) {
      Bits live = leaf.reader().getLiveDocs();
      if (live == null) {
        Terms postings = leaf.reader().terms(WindowIndexer.TERMS);
        TermsEnum te = postings == null ? null : postings.iterator();
        for (int i = 0; te != null && i < df.length; i++) {
          if (te.seekExact(new BytesRef(vocab.get(i)))) {
            df[i] += te.docFreq();
          }
        }
        continue;
      }
      SortedSetDocValues dv = DocValues.getSortedSet(leaf.reader(), WindowIndexer.TERMS);
      int[] slot = slots(dv, vocab);
      if (slot == null) {
        continue;
      }
      for (int d = dv.nextDoc(); d != SortedSetDocValues.NO_MORE_DOCS; d = dv.nextDoc()) {
        if (live != null && !live.get(d)) {
          continue;
        }
        for (int j = dv.docValueCount(); j > 0; j--) {
          int s = slot[(int) dv.nextOrd()];
          if (s >= 0) {
            df[s]++;
          }
        }
      }
    }
    Map<String, Long> out = new HashMap<>();
    for (int i = 0; i < df.length; i++) {
      out.put(vocab.get(i), df[i]);
    }
    return out;
  }

  /**
   * Per term ordinal of the segment, the index in {@code terms} of its term, or -1; null when no
   * term is in the segment.
   */
  private static int[] slots(SortedSetDocValues dv, List<String> terms) throws IOException {
    int[] slot = null;
    for (int i = 0; i < terms.size(); i++) {
      long ord = dv.lookupTerm(new BytesRef(terms.get(i)));
      if (ord < 0) {
        continue;
      }
      if (slot == null) {
        slot = new int[Math.toIntExact(dv.getValueCount())];
        Arrays.fill(slot, -1);
      }
      slot[(int) ord] = i;
    }
    return slot;
  }

  /** A candidate window: its overlap, provenance (file by rank) and global doc id. */
  record Hit(long overlap, int fileRank, long position, int wordOffset, int doc) {}

  /** Best first: {@link Candidates#ORDER} with files by rank. */
  private static final Comparator<Hit> BEST =
      Comparator.comparingLong(Hit::overlap)
          .reversed()
          .thenComparingInt(Hit::fileRank)
          .thenComparingLong(Hit::position)
          .thenComparingInt(Hit::wordOffset);

  private Hit provenance(
      LeafReaderContext ctx,
      int d,
      NumericDocValues file,
      NumericDocValues pos,
      NumericDocValues word)
      throws IOException {
    if (!file.advanceExact(d) || !pos.advanceExact(d) || !word.advanceExact(d)) {
      throw new IllegalStateException("window " + (ctx.docBase + d) + " lacks its provenance");
    }
    int ord = (int) file.longValue();
    if (ord < 0 || ord >= rankOfOrd.length || rankOfOrd[ord] < 0) {
      throw new IllegalStateException("window index metadata lacks file ordinal " + ord);
    }
    return new Hit(0, rankOfOrd[ord], pos.longValue(), (int) word.longValue(), ctx.docBase + d);
  }

  /**
   * The windows {@code docs} (global doc ids, ascending) with their overlaps, best first ({@link
   * Candidates#ORDER}), their provenance read from doc values.
   */
  List<Hit> hits(int[] docs, long[] overlaps) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    List<Hit> out = new ArrayList<>(docs.length);
    LeafReaderContext ctx = null;
    NumericDocValues file = null;
    NumericDocValues pos = null;
    NumericDocValues word = null;
    for (int i = 0; i < docs.length; i++) {
      if (ctx == null || docs[i] >= ctx.docBase + ctx.reader().maxDoc()) {
        ctx = leaves.get(ReaderUtil.subIndex(docs[i], leaves));
        file = DocValues.getNumeric(ctx.reader(), WindowIndexer.FILE_ORD);
        pos = DocValues.getNumeric(ctx.reader(), WindowIndexer.POS);
        word = DocValues.getNumeric(ctx.reader(), WindowIndexer.WORD);
      }
      Hit p = provenance(ctx, docs[i] - ctx.docBase, file, pos, word);
      out.add(new Hit(overlaps[i], p.fileRank(), p.position(), p.wordOffset(), p.doc()));
    }
    out.sort(BEST);
    return out;
  }

  /** Receives the distinct analyzed terms of a window. */
  @FunctionalInterface
  interface TermsSink {
    void accept(int doc, WindowTerms terms);
  }

  /**
   * The terms of windows {@code docs} (global doc ids, ascending, distinct), handed to {@code sink}
   * in chunks, each chunk's windows in parallel on {@code threads} threads.
   */
  void terms(int[] docs, int threads, TermsSink sink) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    int i = 0;
    while (i < docs.length) {
      LeafReaderContext ctx = leaves.get(ReaderUtil.subIndex(docs[i], leaves));
      int end = ctx.docBase + ctx.reader().maxDoc();
      int j = i;
      while (j < docs.length && docs[j] < end && j - i < CHUNK) {
        j++;
      }
      int from = i;
      int[][] ords = new int[j - i][];
      SortedSetDocValues dv = DocValues.getSortedSet(ctx.reader(), WindowIndexer.TERMS);
      int distinct = 0;
      for (int x = from; x < j; x++) {
        int d = docs[x] - ctx.docBase;
        int[] os;
        if (dv.advanceExact(d)) {
          os = new int[dv.docValueCount()];
          for (int y = 0; y < os.length; y++) {
            os[y] = (int) dv.nextOrd();
          }
        } else {
          os = new int[0];
        }
        ords[x - from] = os;
        distinct += os.length;
      }
      int[] all = new int[distinct];
      int at = 0;
      for (int[] os : ords) {
        System.arraycopy(os, 0, all, at, os.length);
        at += os.length;
      }
      Arrays.sort(all);
      int u = 0;
      for (int x = 0; x < all.length; x++) {
        if (u == 0 || all[x] != all[u - 1]) {
          all[u++] = all[x];
        }
      }
      int[] uniq = Arrays.copyOf(all, u);
      String[] strings = new String[u];
      TermsEnum te = dv.termsEnum();
      for (int x = 0; x < u; x++) {
        te.seekExact(uniq[x]);
        strings[x] = te.term().utf8ToString();
      }
      Parallel.map(
          j - from,
          threads,
          x -> {
            int[] os = ords[x];
            List<String> ts = new ArrayList<>(os.length);
            for (int o : os) {
              ts.add(strings[Arrays.binarySearch(uniq, o)]);
            }
            sink.accept(docs[from + x], WindowTerms.of(ts));
            return null;
          });
      i = j;
    }
  }
}
