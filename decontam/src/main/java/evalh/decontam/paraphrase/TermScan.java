package evalh.decontam.paraphrase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The window index's passes over its windows' term ordinals (sorted-set doc values, one dictionary
 * per segment): document frequencies, and every query's candidates by one sequential pass over all
 * windows instead of one search per query.
 *
 * <p>The candidate pass inverts the queries: an item-term table maps each term with units to the
 * queries holding it; per segment each table term is looked up once in the segment's dictionary,
 * giving an array from term ordinal to table entry. Then every live window's ordinals are read in
 * doc order, each ordinal's queries get its units added (an int accumulator per query), and every
 * query the window touched offers the window to its bounded heap of the {@code k} best in {@link
 * Candidates#ORDER} (a window below the heap's lowest overlap is rejected without reading its
 * provenance). Threads take ranges of documents, each with its own accumulators and heaps; the
 * heaps are merged in the same order, so the result is the same for any thread count or
 * segmentation. Last, the chosen windows' terms are read back as strings (ordinals resolved in
 * ascending order, windows in chunks) and each (query, window) pair gets its lexical score.
 */
final class TermScan {
  /** Documents per range a thread takes at a time (tests shrink it to split small segments). */
  private int range = 1 << 14;

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

  /** Sets the documents per range a thread takes at a time (tests: many ranges per segment). */
  void range(int docs) {
    range = docs;
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

  /** The live windows holding each of {@code terms}. */
  Map<String, Long> docFreqs(Set<String> terms) throws IOException {
    List<String> vocab = new ArrayList<>(terms);
    long[] df = new long[vocab.size()];
    for (LeafReaderContext leaf : reader.leaves()) {
      SortedSetDocValues dv = DocValues.getSortedSet(leaf.reader(), WindowIndexer.TERMS);
      int[] slot = slots(dv, vocab);
      if (slot == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
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

  /** A window offered to a query: its overlap, provenance (file by rank) and global doc id. */
  record Hit(long overlap, int fileRank, long position, int wordOffset, int doc) {}

  /** Best first: {@link Candidates#ORDER} with files by rank. */
  private static final Comparator<Hit> BEST =
      Comparator.comparingLong(Hit::overlap)
          .reversed()
          .thenComparingInt(Hit::fileRank)
          .thenComparingLong(Hit::position)
          .thenComparingInt(Hit::wordOffset);

  private static final Comparator<Hit> WORST_FIRST = BEST.reversed();

  /** The item-term table: for each term with units, the queries holding it and their units. */
  private record Table(List<String> terms, int[] start, int[] query, int[] units) {
    static Table of(List<WindowSource.Query> queries) {
      Map<String, Integer> index = new HashMap<>();
      List<String> terms = new ArrayList<>();
      List<int[]> pairs = new ArrayList<>();
      for (int q = 0; q < queries.size(); q++) {
        WindowSource.Query query = queries.get(q);
        List<String> ts = query.terms().terms();
        for (int j = 0; j < ts.size(); j++) {
          long u = query.units()[j];
          if (u <= 0) {
            continue;
          }
          Integer e = index.get(ts.get(j));
          if (e == null) {
            e = terms.size();
            index.put(ts.get(j), e);
            terms.add(ts.get(j));
          }
          pairs.add(new int[] {e, q, Math.toIntExact(u)});
        }
      }
      int[] start = new int[terms.size() + 1];
      pairs.forEach(p -> start[p[0] + 1]++);
      for (int e = 0; e < terms.size(); e++) {
        start[e + 1] += start[e];
      }
      int[] fill = Arrays.copyOf(start, terms.size());
      int[] query = new int[pairs.size()];
      int[] units = new int[pairs.size()];
      for (int[] p : pairs) {
        int at = fill[p[0]]++;
        query[at] = p[1];
        units[at] = p[2];
      }
      return new Table(terms, start, query, units);
    }
  }

  /** One thread's accumulators and heaps. */
  private final class Worker {
    final int k;
    final int[] acc;
    final int[] touched;
    final long[] floor;
    final PriorityQueue<Hit>[] heaps;

    @SuppressWarnings("unchecked")
    Worker(int queries, int k) {
      this.k = k;
      acc = new int[queries];
      touched = new int[queries];
      floor = new long[queries];
      heaps = new PriorityQueue[queries];
    }

    /** Windows [from, to) of a segment whose ordinals map to table entries by {@code slot}. */
    void scan(LeafReaderContext ctx, int[] slot, Table table, int from, int to) throws IOException {
      LeafReader leaf = ctx.reader();
      SortedSetDocValues dv = DocValues.getSortedSet(leaf, WindowIndexer.TERMS);
      NumericDocValues file = DocValues.getNumeric(leaf, WindowIndexer.FILE_ORD);
      NumericDocValues pos = DocValues.getNumeric(leaf, WindowIndexer.POS);
      NumericDocValues word = DocValues.getNumeric(leaf, WindowIndexer.WORD);
      Bits live = leaf.getLiveDocs();
      int[] start = table.start();
      int[] query = table.query();
      int[] units = table.units();
      for (int d = dv.advance(from); d < to; d = dv.nextDoc()) {
        if (live != null && !live.get(d)) {
          continue;
        }
        int nt = 0;
        for (int j = dv.docValueCount(); j > 0; j--) {
          int e = slot[(int) dv.nextOrd()];
          if (e < 0) {
            continue;
          }
          for (int p = start[e], end = start[e + 1]; p < end; p++) {
            int q = query[p];
            if (acc[q] == 0) {
              touched[nt++] = q;
            }
            acc[q] += units[p];
          }
        }
        Hit window = null;
        for (int x = 0; x < nt; x++) {
          int q = touched[x];
          long overlap = acc[q];
          acc[q] = 0;
          if (overlap < floor[q]) {
            continue;
          }
          if (window == null) {
            window = provenance(ctx, d, file, pos, word);
          }
          offer(
              q,
              new Hit(
                  overlap,
                  window.fileRank(),
                  window.position(),
                  window.wordOffset(),
                  window.doc()));
        }
      }
    }

    private void offer(int q, Hit e) {
      PriorityQueue<Hit> h = heaps[q];
      if (h == null) {
        h = new PriorityQueue<>(k + 1, WORST_FIRST);
        heaps[q] = h;
      }
      if (h.size() < k) {
        h.add(e);
      } else if (BEST.compare(e, h.peek()) < 0) {
        h.poll();
        h.add(e);
      } else {
        return;
      }
      if (h.size() == k) {
        floor[q] = h.peek().overlap();
      }
    }
  }

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

  /** Every query's best {@code k} windows by overlap (ties by provenance), best first. */
  List<List<Hit>> top(List<WindowSource.Query> queries, int k, int threads) throws IOException {
    Table table = Table.of(queries);
    int nthreads = Math.max(1, threads);
    List<Worker> workers = new ArrayList<>();
    for (int t = 0; t < nthreads; t++) {
      workers.add(new Worker(queries.size(), k));
    }
    ExecutorService pool = nthreads > 1 ? Executors.newFixedThreadPool(nthreads) : null;
    try {
      for (LeafReaderContext ctx : reader.leaves()) {
        SortedSetDocValues dv = DocValues.getSortedSet(ctx.reader(), WindowIndexer.TERMS);
        int[] slot = slots(dv, table.terms());
        if (slot == null) {
          continue;
        }
        int maxDoc = ctx.reader().maxDoc();
        int ranges = (maxDoc + range - 1) / range;
        AtomicInteger next = new AtomicInteger();
        if (pool == null) {
          for (int r = 0; r < ranges; r++) {
            workers.get(0).scan(ctx, slot, table, r * range, Math.min(maxDoc, (r + 1) * range));
          }
          continue;
        }
        List<Future<?>> fs = new ArrayList<>();
        for (Worker w : workers) {
          fs.add(
              pool.submit(
                  () -> {
                    for (int r = next.getAndIncrement(); r < ranges; r = next.getAndIncrement()) {
                      w.scan(ctx, slot, table, r * range, Math.min(maxDoc, (r + 1) * range));
                    }
                    return null;
                  }));
        }
        for (Future<?> f : fs) {
          try {
            f.get();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
              throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
              throw re;
            }
            throw new IllegalStateException(e.getCause());
          }
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    List<List<Hit>> out = new ArrayList<>(queries.size());
    List<Hit> all = new ArrayList<>();
    for (int q = 0; q < queries.size(); q++) {
      all.clear();
      for (Worker w : workers) {
        if (w.heaps[q] != null) {
          all.addAll(w.heaps[q]);
        }
      }
      all.sort(BEST);
      out.add(List.copyOf(all.subList(0, Math.min(k, all.size()))));
    }
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
      LeafReaderContext ctx =
          leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(docs[i], leaves));
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
