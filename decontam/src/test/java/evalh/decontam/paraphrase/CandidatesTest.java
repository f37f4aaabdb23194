package evalh.decontam.paraphrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.FileStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window index's candidates against a naive oracle: every window of the corpus read again and
 * its overlap with every query summed by a plain loop; the index's statistics, top-k (ties of the
 * k-th broken by provenance, not by Lucene's doc ids) and lexical scores must equal it.
 */
class CandidatesTest {
  @TempDir Path tmp;

  /** A window as the oracle sees it. */
  record Seen(String file, long position, int wordOffset, Set<String> terms) {}

  static List<Seen> allWindows(List<CorpusFile> files) throws Exception {
    List<Seen> out = new ArrayList<>();
    ParaphraseAnalyzer a = new ParaphraseAnalyzer();
    WindowOptions o = WindowOptions.of(List.of("text"), "id", 1);
    for (CorpusFile f : files) {
      Windows.read(
          f,
          o,
          a,
          (doc, w, text, terms) ->
              out.add(
                  new Seen(f.path(), doc.position(), w.wordOffset(), new HashSet<>(a.terms(text)))),
          new FileStats());
    }
    return out;
  }

  /**
   * The index's window count and each query term's document frequency, against a count over {@code
   * windows}.
   */
  private static void assertStatsAreTheOracles(
      WindowIndex index, List<WindowSource.Query> qs, List<Seen> windows) throws IOException {
    Map<String, Long> df = new HashMap<>();
    windows.forEach(w -> w.terms().forEach(t -> df.merge(t, 1L, Long::sum)));
    Set<String> vocab = new HashSet<>();
    qs.forEach(q -> vocab.addAll(q.terms().terms()));
    WindowSource.Stats st = index.stats(vocab);
    assertThat(st.windows()).isEqualTo(windows.size());
    for (String t : vocab) {
      assertThat(st.docFreqs().get(t)).as(t).isEqualTo(df.getOrDefault(t, 0L));
    }
  }

  /** The oracle's candidates of one query: overlaps by a loop over all windows, sorted. */
  static List<Candidates.Candidate> naive(WindowSource.Query q, List<Seen> windows, int k) {
    List<Candidates.Candidate> all = new ArrayList<>();
    for (Seen w : windows) {
      long overlap = 0;
      for (int i = 0; i < q.units().length; i++) {
        if (w.terms().contains(q.terms().terms().get(i))) {
          overlap += q.units()[i];
        }
      }
      if (overlap > 0 && overlap >= q.minOverlap()) {
        all.add(
            new Candidates.Candidate(
                w.file(),
                w.position(),
                w.wordOffset(),
                overlap,
                ParaphraseScore.score(q.terms(), naiveCredits(q.terms(), w.terms()), w.terms()),
                -1));
      }
    }
    all.sort(
        (x, y) -> {
          int c = Long.compare(y.overlap(), x.overlap());
          if (c != 0) {
            return c;
          }
          c = x.file().compareTo(y.file());
          if (c != 0) {
            return c;
          }
          c = Long.compare(x.position(), y.position());
          return c != 0 ? c : Integer.compare(x.wordOffset(), y.wordOffset());
        });
    return all.subList(0, Math.min(k, all.size()));
  }

  /**
   * The credits by their definition, a plain loop over the window's terms for each item term: 1
   * exact; 0.5 when a window term of at least 5 characters shares the item term's first 5 or one
   * contains the other (the item term at least 5 long); else 0.
   */
  static double[] naiveCredits(ItemTerms item, Set<String> window) {
    double[] c = new double[item.terms().size()];
    for (int i = 0; i < c.length; i++) {
      String t = item.terms().get(i);
      if (window.contains(t)) {
        c[i] = 1;
        continue;
      }
      if (t.length() < 5) {
        continue;
      }
      for (String u : window) {
        if (u.length() >= 5
            && (u.substring(0, 5).equals(t.substring(0, 5)) || u.contains(t) || t.contains(u))) {
          c[i] = 0.5;
          break;
        }
      }
    }
    return c;
  }

  static List<WindowSource.Query> queries(
      List<ParaphraseItem> items, WindowSource source, double minShare) throws Exception {
    ParaphraseAnalyzer a = new ParaphraseAnalyzer();
    List<List<String>> terms = items.stream().map(i -> ItemTerms.distinct(a, i)).toList();
    Map<String, Integer> benchDf = ItemTerms.benchmarkDf(terms);
    Set<String> vocab = new HashSet<>();
    terms.forEach(vocab::addAll);
    WindowSource.Stats st = source.stats(vocab);
    List<WindowSource.Query> out = new ArrayList<>();
    for (List<String> ts : terms) {
      long[] df = ts.stream().mapToLong(t -> st.docFreqs().get(t)).toArray();
      ItemTerms it = ParaphraseScore.weigh(ts, df, st.windows(), benchDf, items.size());
      out.add(WindowSource.Query.of(it, df, minShare));
    }
    return out;
  }

  static void assertSame(List<Candidates.Candidate> got, List<Candidates.Candidate> want) {
    assertThat(got).hasSameSizeAs(want);
    for (int j = 0; j < want.size(); j++) {
      Candidates.Candidate g = got.get(j);
      Candidates.Candidate w = want.get(j);
      assertThat(List.of(g.file(), g.position(), g.wordOffset(), g.overlap()))
          .isEqualTo(List.of(w.file(), w.position(), w.wordOffset(), w.overlap()));
      assertThat(g.lexical()).isEqualTo(w.lexical());
    }
  }

  @Test
  void rephraseSetCandidatesEqualTheNaiveOracle() throws Exception {
    RephraseSet set = RephraseSet.load();
    Path corpus = set.writeCorpus(tmp.resolve("corpus"));
    List<CorpusFile> files = RephraseSet.files(corpus);
    RephraseSet.indexWindows(files, tmp.resolve("w"), 2);
    List<Seen> windows = allWindows(files);
    try (WindowIndex index = WindowIndex.open(tmp.resolve("w"))) {
      for (double share : new double[] {0, Candidates.MIN_SHARE}) {
        List<WindowSource.Query> qs = queries(set.paraphraseItems(), index, share);
        assertStatsAreTheOracles(index, qs, windows);
        List<List<Candidates.Candidate>> got = index.candidates(qs, 20, 2);
        int full = 0;
        int floored = 0;
        for (int i = 0; i < qs.size(); i++) {
          List<Candidates.Candidate> want = naive(qs.get(i), windows, 20);
          full += want.size() == 20 ? 1 : 0;
          floored += want.size() < 20 && qs.get(i).minOverlap() > 1 ? 1 : 0;
          assertSame(got.get(i), want);
        }
        if (share == 0) {
          assertThat(full).isGreaterThan(qs.size() / 2); // without a floor most fill their k
        } else {
          assertThat(floored).isGreaterThan(qs.size() / 2); // with it most have fewer
        }
      }
    }
  }

  /**
   * Candidates over many segments (a tiny RAM buffer), 1 and 3 threads, and deleted windows (a
   * changed file re-indexed: its old windows stay in their segments, deleted) gives the oracle's
   * candidates, statistics and lexical scores.
   */
  @Test
  void candidatesEqualTheOracleAcrossSegmentsThreadsAndDeletedWindows() throws Exception {
    RephraseSet set = RephraseSet.load();
    Path corpus = set.writeCorpus(tmp.resolve("corpus"));
    List<CorpusFile> files = RephraseSet.files(corpus);
    // first one segment of both files; then the changed file in segments of a tiny RAM buffer,
    // not merged (as an index whose final merge was interrupted)
    Path dir = RephraseSet.indexWindows(files, tmp.resolve("w"), 1);
    WindowOptions small = new WindowOptions(96, 24, List.of("text"), "id", 2, 0.25);
    changePartA(corpus); // its windows are re-indexed, the old ones deleted
    new WindowIndexer(dir, small, new PrintWriter(new StringWriter())).withoutMerge().build(files);
    // and delete the windows at word 24 of every document, merges off: deletions in every segment
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w =
            new IndexWriter(
                d,
                new IndexWriterConfig(new ParaphraseAnalyzer())
                    .setMergePolicy(org.apache.lucene.index.NoMergePolicy.INSTANCE))) {
      Map<String, String> data =
          org.apache.lucene.index.DirectoryReader.listCommits(d).getLast().getUserData();
      w.deleteDocuments(
          org.apache.lucene.document.NumericDocValuesField.newSlowExactQuery(
              WindowIndexer.WORD, 24));
      w.setLiveCommitData(data.entrySet());
      w.commit();
    }
    List<Seen> windows = new ArrayList<>(allWindows(files));
    windows.removeIf(w -> w.wordOffset() == 24);
    try (WindowIndex index = WindowIndex.open(dir);
        org.apache.lucene.index.DirectoryReader r =
            org.apache.lucene.index.DirectoryReader.open(FSDirectory.open(dir))) {
      assertThat(r.leaves().size()).isGreaterThan(2);
      assertThat(r.hasDeletions()).isTrue();
      List<WindowSource.Query> qs = queries(set.paraphraseItems(), index, Candidates.MIN_SHARE);
      assertStatsAreTheOracles(index, qs, windows);
      List<List<Candidates.Candidate>> want = new ArrayList<>();
      for (WindowSource.Query q : qs) {
        want.add(naive(q, windows, 20));
      }
      for (int threads : new int[] {1, 3}) {
        List<List<Candidates.Candidate>> got = index.candidates(qs, 20, threads);
        for (int i = 0; i < qs.size(); i++) {
          assertSame(got.get(i), want.get(i));
        }
      }
    }
  }

  /** Drops a third of part-a's lines and moves its time on: a build re-indexes it. */
  private static void changePartA(Path corpus) throws IOException {
    Path a = corpus.resolve("part-a.jsonl");
    String changed =
        Files.readString(a, StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.hashCode() % 3 != 0)
            .reduce("", (x, y) -> x + y + "\n");
    Files.writeString(a, changed, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(
        a, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
  }

  /**
   * A build that changed the index merges it into one segment (a tiny RAM buffer leaves many),
   * which also drops the windows of a re-indexed file.
   */
  @Test
  void aBuildEndsInOneSegmentWithoutDeletedWindows() throws Exception {
    Path corpus = RephraseSet.load().writeCorpus(tmp.resolve("corpus"));
    List<CorpusFile> files = RephraseSet.files(corpus);
    WindowOptions small = new WindowOptions(96, 24, List.of("text"), "id", 2, 0.25);
    Path dir = tmp.resolve("w");
    new WindowIndexer(dir, small, new PrintWriter(new StringWriter())).build(files);
    changePartA(corpus);
    new WindowIndexer(dir, small, new PrintWriter(new StringWriter())).build(files);
    try (FSDirectory d = FSDirectory.open(dir);
        DirectoryReader r = DirectoryReader.open(d)) {
      assertThat(r.leaves()).hasSize(1);
      assertThat(r.hasDeletions()).isFalse();
      assertThat(r.numDocs()).isEqualTo(allWindows(files).size());
    }
  }

  /**
   * 30 windows tie for an item; k = 20 takes the first 20 by provenance. The larger file is indexed
   * first (the indexer takes files largest first), so its windows have the lower doc ids: a top-k
   * by doc id would take them instead.
   */
  @Test
  void tiesAtTheKthAreBrokenByProvenance() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String same = "osmosis moves water across a semipermeable membrane";
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      a.append(json.writeValueAsString(Map.of("id", "a" + i, "text", same))).append('\n');
    }
    for (int i = 0; i < 20; i++) {
      b.append(json.writeValueAsString(Map.of("id", "b" + i, "text", same))).append('\n');
    }
    StringBuilder other = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      other
          .append(json.writeValueAsString(Map.of("id", "c" + i, "text", "granite basalt " + i)))
          .append('\n');
    }
    Files.writeString(tmp.resolve("a.jsonl"), a, StandardCharsets.UTF_8);
    Files.writeString(tmp.resolve("b.jsonl"), b.append(other), StandardCharsets.UTF_8);
    List<CorpusFile> files =
        List.of(CorpusFile.local(tmp.resolve("a.jsonl")), CorpusFile.local(tmp.resolve("b.jsonl")));
    new WindowIndexer(
            tmp.resolve("t"),
            WindowOptions.of(List.of("text"), "id", 1),
            new PrintWriter(new StringWriter()))
        .build(files);
    List<Seen> windows = allWindows(files);
    List<ParaphraseItem> items =
        List.of(
            new ParaphraseItem("t", 0, "What moves water across a membrane?", "osmosis"),
            new ParaphraseItem("t", 1, "What rock is granite?", "basalt"));
    try (WindowIndex index = WindowIndex.open(tmp.resolve("t"))) {
      List<WindowSource.Query> qs = queries(items, index, 0);
      List<List<Candidates.Candidate>> got = index.candidates(qs, 20, 1);
      assertSame(got.get(0), naive(qs.get(0), windows, 20));
      assertThat(got.get(0).stream().filter(c -> c.file().endsWith("a.jsonl")).count())
          .isEqualTo(10);
      assertSame(got.get(1), naive(qs.get(1), windows, 20));
    }
  }

  @Test
  void indexesOfOlderFormatsAreRefusedWithARebuildMessage() throws Exception {
    for (String old : List.of("evalh.window-index/1", "evalh.window-index/2")) {
      Path dir = tmp.resolve(old.substring(old.length() - 1));
      WindowIndexState st = WindowIndexState.create(WindowOptions.of(List.of("text"), "id", 1));
      st.schema = old;
      Files.createDirectories(dir);
      try (FSDirectory d = FSDirectory.open(dir);
          IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new ParaphraseAnalyzer()))) {
        w.setLiveCommitData(Map.of(WindowIndexState.COMMIT_KEY, st.toJson()).entrySet());
        w.commit();
      }
      assertThatThrownBy(() -> WindowIndex.open(dir))
          .hasMessageContaining(old)
          .hasMessageContaining("rebuild");
    }
  }

  @Test
  void unitsAreCubedWeightsIn2ToThe14thAndStopAfterMaxTerms() {
    assertThat(
            Candidates.units(
                new ItemTerms(List.of("a", "b", "c"), new double[] {1, 0.5, 1.0 / (1 << 6)})))
        .containsExactly(16384, 2048, 0);
    List<String> many = new ArrayList<>();
    double[] w = new double[Candidates.MAX_TERMS + 6];
    for (int i = 0; i < w.length; i++) {
      many.add("t" + i);
      w[i] = i == 3 ? 0 : 1;
    }
    long[] u = Candidates.units(new ItemTerms(many, w));
    // MAX_TERMS terms get units, then the lightest (here the first) up to a tenth of them lose them
    assertThat(Arrays.stream(u).filter(x -> x > 0).count())
        .isEqualTo(Candidates.MAX_TERMS - Candidates.MAX_TERMS / 10);
    assertThat(u[Candidates.MAX_TERMS]).isEqualTo(16384); // the zero-weight term took no slot
    assertThat(u[Candidates.MAX_TERMS + 1]).isZero();
  }

  @Test
  void theLightestTermsUnderOnePercentGetNoUnitsUpToATenthOfTheTotal() {
    // 99 terms of weight 1 and two light ones: each light term is under 1% of the cubed total
    List<String> ts = new ArrayList<>();
    double[] w = new double[101];
    for (int i = 0; i < w.length; i++) {
      ts.add("t" + i);
      w[i] = i == 7 ? 0.2 : i == 50 ? 0.25 : 1;
    }
    long[] u = Candidates.units(new ItemTerms(ts, w));
    assertThat(u[7]).isZero();
    assertThat(u[50]).isZero();
    assertThat(Arrays.stream(u).filter(x -> x == 16384).count()).isEqualTo(99);
    // 200 equal terms, each 0.5% of the total: only the first of them (by position) up to 10% go
    List<String> many = new ArrayList<>();
    double[] eq = new double[200];
    for (int i = 0; i < eq.length; i++) {
      many.add("e" + i);
      eq[i] = 0.5;
    }
    long[] v = Candidates.units(new ItemTerms(many, eq));
    assertThat(Arrays.stream(v).filter(x -> x == 0).count()).isEqualTo(19);
    assertThat(v[0]).isZero();
    assertThat(v[199]).isEqualTo(2048);
  }

  @Test
  void theLeastOverlapIsAShareOfTheUnitsOfTermsSomeWindowHolds() {
    long[] units = {16384, 2048, 8000, 0};
    // the first term is in no window: it cannot tell windows apart
    assertThat(Candidates.minOverlap(units, new long[] {0, 5, 9, 3}, 0.2))
        .isEqualTo((long) Math.ceil(0.2 * 10048));
    assertThat(Candidates.minOverlap(units, new long[] {1, 5, 9, 3}, 0.2))
        .isEqualTo((long) Math.ceil(0.2 * 26432));
    assertThat(Candidates.minOverlap(units, new long[] {1, 5, 9, 3}, 0)).isEqualTo(1);
  }
}
