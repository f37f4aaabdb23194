package evalh.decontam.check;

import evalh.decontam.analysis.NgramAnalyzer;
import evalh.decontam.analysis.NgramTerms;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.index.Provenance;
import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.TextNormalizer;
import evalh.decontam.text.TokenBuffer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;

/**
 * Checks benchmark items against a corpus ({@link CorpusMatches}: a Lucene index or a Spark scan):
 * per item, n-gram lookups (every n-gram of the item through the query analyzer), then one read of
 * the best matching documents for the snippets and the {@code answer_leak} check, and, for items
 * shorter than n, an exact whole-item pass over the corpus. Matching documents are ranked by votes
 * (item n-gram positions they contain), ties broken by (file, position), so the answer does not
 * depend on document numbering, index sharding or thread count.
 */
public final class ItemChecker {
  /** Document order among equal votes. */
  static final Comparator<Provenance> DOC_ORDER =
      Comparator.comparing(Provenance::file).thenComparingLong(Provenance::position);

  private CorpusMatches corpus;
  private final CheckSettings settings;
  private final PrintWriter log;
  private final NgramScheme scheme;
  private final NgramAnalyzer analyzer;
  private final List<SkippedCheck> skipped = new ArrayList<>();

  public ItemChecker(NgramIndex index, CheckSettings settings, PrintWriter log) {
    this(new IndexMatches(index), settings, log);
  }

  public ItemChecker(CorpusMatches corpus, CheckSettings settings, PrintWriter log) {
    this(corpus, corpus.scheme(), settings, log);
  }

  private ItemChecker(
      CorpusMatches corpus, NgramScheme scheme, CheckSettings settings, PrintWriter log) {
    this.corpus = corpus;
    this.settings = settings;
    this.log = log;
    this.scheme = scheme;
    this.analyzer = NgramAnalyzer.forQuery(scheme);
  }

  /**
   * What a corpus pass must look for to answer {@link #check} for these items: every distinct
   * n-gram hash of the items (sorted) and the short items' whole-item scan.
   */
  public record QueryPlan(long[] ngramHashes, ShortItemScan shortItems) {}

  /**
   * The query plan of {@code items} (the same tokenisation and hashing {@link #check} uses), for a
   * corpus pass that runs before any {@link CorpusMatches} exists.
   */
  public static QueryPlan plan(List<CheckItem> items, NgramScheme scheme, CheckSettings settings)
      throws IOException {
    return new ItemChecker(null, scheme, settings, new PrintWriter(java.io.Writer.nullWriter()))
        .plan(items);
  }

  private QueryPlan plan(List<CheckItem> items) throws IOException {
    List<Work> work = items.stream().map(Work::new).toList();
    TextNormalizer norm = scheme.normalization().newNormalizer();
    TokenBuffer buf = new TokenBuffer();
    Set<Long> hashes = new HashSet<>();
    for (Work w : work) {
      prepare(w, norm, buf);
      for (long h : w.ngrams) {
        hashes.add(h);
      }
    }
    long[] sorted = hashes.stream().mapToLong(Long::longValue).sorted().toArray();
    return new QueryPlan(sorted, shortScan(settings.scanShortItems() ? shorts(work) : List.of()));
  }

  /** Per-item working state. */
  private static final class Work {
    final CheckItem item;
    int tokens;
    long[] ngrams = new long[0];
    int[] df = new int[0];
    long whole;
    long firstToken;
    long[] answer;
    final Map<Integer, Integer> votes = new HashMap<>();
    final List<Integer> top = new ArrayList<>();
    final Set<Long> hashSet = new HashSet<>();
    boolean shortMatch;
    boolean leak;
    final List<Provenance> topProv = new ArrayList<>();
    final Map<Integer, DocHit> hits = new HashMap<>();
    List<DocHit> shortHits = List.of();

    Work(CheckItem item) {
      this.item = item;
    }

    boolean isShort(int n) {
      return tokens < n;
    }
  }

  /** Checks all items; results are in input order. */
  public List<ItemMatch> check(List<CheckItem> items) throws IOException {
    if (corpus.windowMinimaOnly() && !(corpus instanceof VerifiedMatches)) {
      // a winnowed index only names candidates: re-count them exactly before anything else
      corpus = VerifiedMatches.verify(corpus, plan(items).ngramHashes(), log);
    }
    List<Work> work = items.stream().map(Work::new).toList();
    lookups(work);
    fetchMatchedDocuments(work);
    List<Work> shorts = shorts(work);
    if (!shorts.isEmpty()) {
      if (settings.scanShortItems()) {
        log.println(
            shorts.size()
                + " item(s) have fewer than n="
                + scheme.n()
                + " tokens: scanning the corpus for exact whole-item matches");
        ShortItemScan scan = shortScan(shorts);
        int unreadBefore = corpus.unreadForShortItems().size();
        corpus.scanShortItems(scan, log);
        for (CorpusMatches.Unread u :
            corpus
                .unreadForShortItems()
                .subList(unreadBefore, corpus.unreadForShortItems().size())) {
          skipped.add(
              new SkippedCheck(
                  List.of("whole_item_match", "answer_leak"), u.file(), u.reason(), shorts.size()));
        }
        for (int i = 0; i < shorts.size(); i++) {
          Work w = shorts.get(i);
          w.shortMatch = scan.matched(i);
          w.leak |= scan.leaked(i);
          w.shortHits = scan.hits(i);
        }
      } else {
        log.println(
            shorts.size() + " short item(s) not checked (whole-item scan disabled): counted clean");
      }
    }
    List<ItemMatch> out = new ArrayList<>(work.size());
    for (Work w : work) {
      out.add(result(w));
    }
    return out;
  }

  /** Checks {@link #check} could not make because a corpus file was not readable here. */
  public List<SkippedCheck> skipped() {
    return List.copyOf(skipped);
  }

  private List<Work> shorts(List<Work> work) {
    return work.stream().filter(w -> w.isShort(scheme.n()) && w.tokens > 0).toList();
  }

  private ShortItemScan shortScan(List<Work> shorts) {
    int[] lengths = new int[shorts.size()];
    long[] firstTokens = new long[shorts.size()];
    long[] wholes = new long[shorts.size()];
    long[][] answers = new long[shorts.size()][];
    for (int i = 0; i < shorts.size(); i++) {
      lengths[i] = shorts.get(i).tokens;
      firstTokens[i] = shorts.get(i).firstToken;
      wholes[i] = shorts.get(i).whole;
      answers[i] = shorts.get(i).answer;
    }
    return new ShortItemScan(
        scheme.normalization(), settings.topDocs(), lengths, firstTokens, wholes, answers);
  }

  private void lookups(List<Work> work) throws IOException {
    int threads = Math.max(1, Math.min(settings.threads(), work.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int from = (int) ((long) work.size() * t / threads);
        int to = (int) ((long) work.size() * (t + 1) / threads);
        List<Work> slice = work.subList(from, to);
        fs.add(
            pool.submit(
                () -> {
                  CorpusMatches.Postings lookup = corpus.postings();
                  TextNormalizer norm = scheme.normalization().newNormalizer();
                  TokenBuffer buf = new TokenBuffer();
                  NgramIndex.IntList docs = new NgramIndex.IntList();
                  for (Work w : slice) {
                    lookupOne(w, lookup, norm, buf, docs);
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        await(f);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(Future<?> f) throws IOException {
    try {
      f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The item's n-gram hashes as produced by the query analyzer (stride 1). */
  long[] queryHashes(String text) throws IOException {
    List<Long> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(NgramTerms.FIELD, text)) {
      TermToBytesRefAttribute term = ts.addAttribute(TermToBytesRefAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(NgramTerms.decode(term.getBytesRef()));
      }
      ts.end();
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** Tokens, answer, whole-item hash and n-gram hashes of an item. */
  private void prepare(Work w, TextNormalizer norm, TokenBuffer buf) throws IOException {
    int n = scheme.n();
    norm.tokenize(w.item.answer(), buf);
    w.answer = Arrays.copyOf(buf.hashes(), buf.size());
    norm.tokenize(w.item.text(), buf);
    w.tokens = buf.size();
    if (w.isShort(n)) {
      w.whole = w.tokens > 0 ? NgramHasher.ngramHash(buf.hashes(), 0, w.tokens) : 0;
      w.firstToken = w.tokens > 0 ? buf.hashes()[0] : 0;
      return;
    }
    w.ngrams = queryHashes(w.item.text());
    if (w.ngrams.length != w.tokens - n + 1) {
      throw new IllegalStateException("analyzer and normalizer disagree on " + w.item);
    }
  }

  private void lookupOne(
      Work w,
      CorpusMatches.Postings lookup,
      TextNormalizer norm,
      TokenBuffer buf,
      NgramIndex.IntList docs)
      throws IOException {
    prepare(w, norm, buf);
    if (w.isShort(scheme.n())) {
      return;
    }
    w.df = new int[w.ngrams.length];
    Map<Long, Integer> dfOf = new HashMap<>();
    Map<Long, int[]> docsOf = new HashMap<>();
    int cap = settings.boilerplateCap();
    for (int p = 0; p < w.ngrams.length; p++) {
      long h = w.ngrams[p];
      w.hashSet.add(h);
      Integer df = dfOf.get(h);
      if (df == null) {
        df = lookup.docFreq(h, cap, docs);
        dfOf.put(h, df);
        int[] ds = new int[docs.size()];
        for (int i = 0; i < ds.length; i++) {
          ds[i] = docs.get(i);
        }
        docsOf.put(h, ds);
      }
      w.df[p] = df;
      if (df > 0 && df <= cap) {
        // a document's vote: how many of the item's n-gram positions it contains
        for (int d : docsOf.get(h)) {
          w.votes.merge(d, 1, Integer::sum);
        }
      }
    }
    rankDocuments(w, lookup);
  }

  /**
   * The best {@code max(topDocs, leakDocs)} documents by votes, equal votes in (file, position)
   * order. Provenance is read only for the vote levels that reach the cut.
   */
  private void rankDocuments(Work w, CorpusMatches.Postings lookup) throws IOException {
    int limit = Math.max(settings.topDocs(), settings.leakDocs());
    TreeMap<Integer, List<Integer>> byVotes = new TreeMap<>(Comparator.reverseOrder());
    w.votes.forEach((doc, v) -> byVotes.computeIfAbsent(v, k -> new ArrayList<>()).add(doc));
    for (List<Integer> level : byVotes.values()) {
      if (w.top.size() >= limit) {
        break;
      }
      List<Provenance> ps = new ArrayList<>(level.size());
      for (int doc : level) {
        ps.add(lookup.provenance(doc));
      }
      ps.sort(DOC_ORDER);
      for (Provenance p : ps.subList(0, Math.min(ps.size(), limit - w.top.size()))) {
        w.top.add(p.doc());
        w.topProv.add(p);
      }
    }
  }

  private void fetchMatchedDocuments(List<Work> work) throws IOException {
    Map<String, TreeMap<Long, Long>> wanted = new TreeMap<>();
    Map<FilePos, List<Work>> requesters = new HashMap<>();
    Map<FilePos, Provenance> prov = new HashMap<>();
    for (Work w : work) {
      for (Provenance p : w.topProv) {
        FilePos key = new FilePos(p.file(), p.position());
        wanted.computeIfAbsent(p.file(), k -> new TreeMap<>()).put(p.position(), p.byteOffset());
        requesters.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
        prov.put(key, p);
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    TextNormalizer norm = scheme.normalization().newNormalizer();
    TokenBuffer buf = new TokenBuffer();
    int unreadBefore = corpus.unreadTexts().size();
    corpus.fetchTexts(
        wanted,
        (file, pos, text) -> {
          FilePos key = new FilePos(file, pos);
          List<Work> ws = requesters.get(key);
          if (ws == null) {
            return;
          }
          Provenance p = prov.get(key);
          norm.tokenize(text, buf);
          for (Work w : ws) {
            DocOverlap o = new DocOverlap(text, buf, scheme.n(), w.hashSet);
            if (o.answerOutsideMatch(w.answer)) {
              w.leak = true;
            }
            w.hits.put(
                p.doc(), o.hit(p.file(), p.position(), p.parquet(), p.id(), w.votes.get(p.doc())));
          }
        },
        log);
    for (CorpusMatches.Unread u :
        corpus.unreadTexts().subList(unreadBefore, corpus.unreadTexts().size())) {
      int affected = 0;
      for (Work w : work) {
        if (w.topProv.stream().anyMatch(p -> p.file().equals(u.file()))) {
          affected++;
        }
      }
      skipped.add(
          new SkippedCheck(List.of("snippets", "answer_leak"), u.file(), u.reason(), affected));
    }
    // documents whose text could not be re-read still count, without a snippet
    for (Work w : work) {
      for (int i = 0; i < Math.min(settings.topDocs(), w.topProv.size()); i++) {
        Provenance p = w.topProv.get(i);
        w.hits.putIfAbsent(
            p.doc(),
            new DocHit(
                p.file(),
                p.position(),
                p.parquet(),
                p.id(),
                w.votes.get(p.doc()),
                null,
                List.of()));
      }
    }
  }

  private record FilePos(String file, long position) {}

  private ItemMatch result(Work w) {
    int n = scheme.n();
    if (w.isShort(n)) {
      return new ItemMatch(
          w.item.task(),
          w.item.docId(),
          w.tokens,
          0,
          0,
          0,
          w.shortMatch ? 1.0 : 0.0,
          w.shortMatch ? w.tokens : 0,
          0,
          true,
          w.shortMatch,
          w.leak,
          List.copyOf(w.shortHits));
    }
    int cap = settings.boilerplateCap();
    boolean[] covered = new boolean[w.tokens];
    int matched = 0;
    int nonBoiler = 0;
    int maxDf = 0;
    int longest = 0;
    int run = 0;
    for (int p = 0; p < w.df.length; p++) {
      int df = w.df[p];
      if (df > 0) {
        matched++;
        if (df <= cap) {
          nonBoiler++;
        }
        maxDf = Math.max(maxDf, df);
        for (int j = p; j < p + n; j++) {
          covered[j] = true;
        }
        run++;
        longest = Math.max(longest, run + n - 1);
      } else {
        run = 0;
      }
    }
    int cov = 0;
    for (boolean c : covered) {
      if (c) {
        cov++;
      }
    }
    List<DocHit> top = new ArrayList<>();
    for (int i = 0; i < Math.min(settings.topDocs(), w.top.size()); i++) {
      top.add(w.hits.get(w.top.get(i)));
    }
    return new ItemMatch(
        w.item.task(),
        w.item.docId(),
        w.tokens,
        w.ngrams.length,
        matched,
        nonBoiler,
        w.tokens == 0 ? 0.0 : (double) cov / w.tokens,
        longest,
        maxDf,
        false,
        false,
        w.leak,
        top);
  }
}
