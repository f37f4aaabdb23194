package evalh.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.paraphrase.Candidates;
import evalh.decontam.paraphrase.ItemTerms;
import evalh.decontam.paraphrase.ParaphraseAnalyzer;
import evalh.decontam.paraphrase.WindowIndex;
import evalh.decontam.paraphrase.WindowOptions;
import evalh.decontam.paraphrase.WindowSource;
import evalh.decontam.paraphrase.Windows;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The paraphrase pass's scan mode: a {@link WindowSource} that streams the corpus's windows past
 * the items instead of querying a window index. Each question is one pass over the corpus, every
 * partition cutting and analyzing its files' windows with {@link Windows#read} exactly as the
 * window index build does:
 *
 * <ol>
 *   <li>{@link #stats}: windows counted and the items' terms' document frequencies summed;
 *   <li>{@link #candidates}: the queries are broadcast with an inverted term table (term to the
 *       queries holding it and their units); each window's overlap with every query sharing a term
 *       is summed and, when it reaches the query's least overlap, offered to the query's bounded
 *       heap in {@link Candidates#ORDER}, its lexical score computed when it enters; the heaps are
 *       reduced across partitions by query;
 *   <li>{@link #windows}: the windows asked for (by provenance) are read back with their texts.
 * </ol>
 *
 * The candidates are a deterministic function of the windows' term sets and provenance ({@link
 * Candidates}), so they equal the window index's window for window.
 */
final class ParaphraseScan implements WindowSource {
  private final JavaSparkContext jsc;
  private final List<List<CorpusListing.Entry>> groups;
  private final WindowOptions options;
  private final SerializableConf conf;
  private final PrintWriter log;
  private final String describe;

  ParaphraseScan(
      JavaSparkContext jsc,
      List<List<CorpusListing.Entry>> groups,
      WindowOptions options,
      SerializableConf conf,
      PrintWriter log,
      String describe) {
    this.jsc = jsc;
    this.groups = groups;
    this.options = options;
    this.conf = conf;
    this.log = log;
    this.describe = describe;
  }

  @Override
  public String describe() {
    return describe;
  }

  /** Windows and document frequencies of one partition. */
  @DefaultSerializer(JavaSerializer.class)
  record Counts(long windows, HashMap<String, Long> df) implements Serializable {}

  /** The queries as they travel to the executors. */
  @DefaultSerializer(JavaSerializer.class)
  record Queries(String[][] terms, double[][] weights, long[][] units, long[] minOverlap)
      implements Serializable {}

  /** A candidate as it travels back (a scan has no doc ids). */
  @DefaultSerializer(JavaSerializer.class)
  record Cand(String file, long position, int wordOffset, long overlap, double lexical)
      implements Serializable {
    Candidates.Candidate candidate() {
      return new Candidates.Candidate(file, position, wordOffset, overlap, lexical, -1);
    }

    static Cand of(Candidates.Candidate c) {
      return new Cand(c.file(), c.position(), c.wordOffset(), c.overlap(), c.lexical());
    }
  }

  /** Receives the windows of a partition's files, each with its file's identity. */
  @FunctionalInterface
  private interface FileWindows {
    void accept(String file, CorpusDoc doc, Windows.Window window, String text, String[] terms)
        throws IOException;
  }

  /** Reads every window of the partitions' files. */
  private static void eachWindow(
      Iterator<List<CorpusListing.Entry>> it,
      WindowOptions options,
      SerializableConf conf,
      FileWindows sink)
      throws IOException {
    ParaphraseAnalyzer analyzer = new ParaphraseAnalyzer();
    while (it.hasNext()) {
      for (CorpusListing.Entry e : it.next()) {
        CorpusFile file = HadoopCorpusFile.of(e.uri(), conf.get());
        String identity = file.path();
        Windows.read(
            file,
            options,
            analyzer,
            (doc, w, text, ts) -> sink.accept(identity, doc, w, text, ts),
            new FileStats());
      }
    }
  }

  @Override
  public Stats stats(Set<String> terms) {
    long t0 = System.nanoTime();
    Broadcast<HashSet<String>> vocab = jsc.broadcast(new HashSet<>(terms));
    WindowOptions opts = options;
    SerializableConf c = conf;
    try {
      List<Counts> parts =
          jsc.parallelize(groups, groups.size())
              .mapPartitions(
                  it -> {
                    long[] n = new long[1];
                    HashMap<String, Long> df = new HashMap<>();
                    Set<String> v = vocab.value();
                    eachWindow(
                        it,
                        opts,
                        c,
                        (f, doc, w, text, ts) -> {
                          n[0]++;
                          for (String t : ts) {
                            if (v.contains(t)) {
                              df.merge(t, 1L, Long::sum);
                            }
                          }
                        });
                    return List.of(new Counts(n[0], df)).iterator();
                  })
              .collect();
      long windows = 0;
      Map<String, Long> df = new HashMap<>();
      terms.forEach(t -> df.put(t, 0L));
      for (Counts p : parts) {
        windows += p.windows();
        p.df().forEach((t, n) -> df.merge(t, n, Long::sum));
      }
      log.printf(
          Locale.ROOT,
          "spark paraphrase: %d windows, frequencies of %d terms in %.1f s%n",
          windows,
          terms.size(),
          (System.nanoTime() - t0) / 1e9);
      log.flush();
      return new Stats(windows, df);
    } finally {
      vocab.destroy();
    }
  }

  @Override
  public List<List<Candidates.Candidate>> candidates(List<Query> queries, int k, int threads) {
    long t0 = System.nanoTime();
    int q = queries.size();
    String[][] terms = new String[q][];
    double[][] weights = new double[q][];
    long[][] units = new long[q][];
    long[] minOverlap = new long[q];
    for (int i = 0; i < q; i++) {
      terms[i] = queries.get(i).terms().terms().toArray(String[]::new);
      weights[i] = queries.get(i).terms().weights();
      units[i] = queries.get(i).units();
      minOverlap[i] = queries.get(i).minOverlap();
    }
    Broadcast<Queries> bq = jsc.broadcast(new Queries(terms, weights, units, minOverlap));
    WindowOptions opts = options;
    SerializableConf c = conf;
    try {
      Map<Integer, ArrayList<Cand>> top =
          jsc.parallelize(groups, groups.size())
              .mapPartitionsToPair(it -> scanPartition(it, bq.value(), k, opts, c))
              .reduceByKey((a, b) -> merge(a, b, k))
              .collectAsMap();
      List<List<Candidates.Candidate>> out = new ArrayList<>(q);
      for (int i = 0; i < q; i++) {
        ArrayList<Cand> cs = top.get(i);
        out.add(
            cs == null
                ? List.of()
                : cs.stream().map(Cand::candidate).sorted(Candidates.ORDER).toList());
      }
      log.printf(
          Locale.ROOT,
          "spark paraphrase: candidates of %d queries in %.1f s%n",
          q,
          (System.nanoTime() - t0) / 1e9);
      log.flush();
      return out;
    } finally {
      bq.destroy();
    }
  }

  private static ArrayList<Cand> merge(ArrayList<Cand> a, ArrayList<Cand> b, int k) {
    List<Candidates.Candidate> all = new ArrayList<>(a.size() + b.size());
    a.forEach(x -> all.add(x.candidate()));
    b.forEach(x -> all.add(x.candidate()));
    ArrayList<Cand> out = new ArrayList<>(k);
    Candidates.best(all, k).forEach(x -> out.add(Cand.of(x)));
    return out;
  }

  /** One partition's candidates: per query sharing a term with its windows, its best k. */
  private static Iterator<Tuple2<Integer, ArrayList<Cand>>> scanPartition(
      Iterator<List<CorpusListing.Entry>> it,
      Queries qs,
      int k,
      WindowOptions opts,
      SerializableConf c)
      throws IOException {
    int q = qs.terms().length;
    ItemTerms[] items = new ItemTerms[q];
    Map<String, List<long[]>> postings = new HashMap<>();
    for (int i = 0; i < q; i++) {
      items[i] = new ItemTerms(Arrays.asList(qs.terms()[i]), qs.weights()[i]);
      for (int j = 0; j < qs.terms()[i].length; j++) {
        if (qs.units()[i][j] > 0) {
          postings
              .computeIfAbsent(qs.terms()[i][j], t -> new ArrayList<>())
              .add(new long[] {i, qs.units()[i][j]});
        }
      }
    }
    Map<String, long[][]> inverted = new HashMap<>();
    postings.forEach((t, l) -> inverted.put(t, l.toArray(long[][]::new)));
    @SuppressWarnings("unchecked")
    PriorityQueue<Candidates.Candidate>[] heaps = new PriorityQueue[q];
    long[] acc = new long[q];
    int[] touched = new int[q];
    eachWindow(
        it,
        opts,
        c,
        (f, doc, w, text, ts) -> {
          int nt = 0;
          for (String t : ts) {
            long[][] ps = inverted.get(t);
            if (ps == null) {
              continue;
            }
            for (long[] p : ps) {
              int i = (int) p[0];
              if (acc[i] == 0) {
                touched[nt++] = i;
              }
              acc[i] += p[1];
            }
          }
          Set<String> set = null;
          for (int x = 0; x < nt; x++) {
            int i = touched[x];
            long overlap = acc[i];
            acc[i] = 0;
            if (overlap < qs.minOverlap()[i]) {
              continue;
            }
            PriorityQueue<Candidates.Candidate> h = heaps[i];
            if (h == null) {
              h = new PriorityQueue<>(Candidates.ORDER.reversed());
              heaps[i] = h;
            }
            Candidates.Candidate cand =
                new Candidates.Candidate(
                    f, doc.position(), w.wordOffset(), overlap, Double.NaN, -1);
            if (h.size() >= k && Candidates.ORDER.compare(cand, h.peek()) >= 0) {
              continue;
            }
            if (set == null) {
              set = new HashSet<>(Arrays.asList(ts));
            }
            h.add(
                new Candidates.Candidate(
                    cand.file(),
                    cand.position(),
                    cand.wordOffset(),
                    overlap,
                    Candidates.lexical(items[i], set),
                    -1));
            if (h.size() > k) {
              h.poll();
            }
          }
        });
    List<Tuple2<Integer, ArrayList<Cand>>> out = new ArrayList<>();
    for (int i = 0; i < q; i++) {
      if (heaps[i] != null) {
        ArrayList<Cand> l = new ArrayList<>(heaps[i].size());
        heaps[i].forEach(x -> l.add(Cand.of(x)));
        out.add(new Tuple2<>(i, l));
      }
    }
    return out.iterator();
  }

  @Override
  public List<WindowIndex.WindowDoc> windows(List<Candidates.Candidate> candidates) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    long t0 = System.nanoTime();
    HashSet<String> keys = new HashSet<>();
    candidates.forEach(x -> keys.add(key(x.file(), x.position(), x.wordOffset())));
    Broadcast<HashSet<String>> bk = jsc.broadcast(keys);
    WindowOptions opts = options;
    SerializableConf c = conf;
    try {
      List<JavaSerialized<WindowIndex.WindowDoc>> found =
          jsc.parallelize(groups, groups.size())
              .mapPartitions(
                  it -> {
                    List<JavaSerialized<WindowIndex.WindowDoc>> wins = new ArrayList<>();
                    Set<String> want = bk.value();
                    eachWindow(
                        it,
                        opts,
                        c,
                        (f, doc, w, text, ts) -> {
                          if (want.contains(key(f, doc.position(), w.wordOffset()))) {
                            wins.add(
                                new JavaSerialized<>(
                                    new WindowIndex.WindowDoc(
                                        f,
                                        doc.position(),
                                        CorpusFiles.isParquet(f),
                                        doc.byteOffset(),
                                        doc.id(),
                                        w.wordOffset(),
                                        text)));
                          }
                        });
                    return wins.iterator();
                  })
              .collect();
      Map<String, WindowIndex.WindowDoc> byKey = new HashMap<>();
      for (JavaSerialized<WindowIndex.WindowDoc> j : found) {
        WindowIndex.WindowDoc x = j.value();
        byKey.put(key(x.file(), x.position(), x.wordOffset()), x);
      }
      List<WindowIndex.WindowDoc> out = new ArrayList<>(candidates.size());
      for (Candidates.Candidate x : candidates) {
        WindowIndex.WindowDoc w = byKey.get(key(x.file(), x.position(), x.wordOffset()));
        if (w == null) {
          throw new IllegalStateException(
              "the corpus changed during the paraphrase scan: window at word "
                  + x.wordOffset()
                  + " of "
                  + x.file()
                  + " position "
                  + x.position()
                  + " is gone");
        }
        out.add(w);
      }
      log.printf(
          Locale.ROOT,
          "spark paraphrase: %d window texts in %.1f s%n",
          keys.size(),
          (System.nanoTime() - t0) / 1e9);
      log.flush();
      return out;
    } finally {
      bk.destroy();
    }
  }

  private static String key(String file, long position, int wordOffset) {
    return file + '\u0000' + position + '\u0000' + wordOffset;
  }
}
