package evalh.decontam.check;

import evalh.decontam.analysis.NgramAnalyzer;
import evalh.decontam.analysis.NgramTerms;
import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.index.CorpusReaders;
import evalh.decontam.index.IndexState;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.index.Provenance;
import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.TextNormalizer;
import evalh.decontam.text.TokenBuffer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Checks benchmark items against an {@link NgramIndex}: per item, n-gram lookups (every n-gram of
 * the item through the query analyzer), then one pass over the corpus files for the snippets and
 * the {@code answer_leak} check of the matched documents, and, for items shorter than n, an exact
 * whole-item scan of the corpus.
 */
public final class ItemChecker {
  private final NgramIndex index;
  private final CheckSettings settings;
  private final PrintWriter log;
  private final NgramScheme scheme;
  private final NgramAnalyzer analyzer;

  public ItemChecker(NgramIndex index, CheckSettings settings, PrintWriter log) {
    this.index = index;
    this.settings = settings;
    this.log = log;
    this.scheme = index.scheme();
    this.analyzer = NgramAnalyzer.forQuery(scheme);
  }

  /** Per-item working state. */
  private static final class Work {
    final CheckItem item;
    int tokens;
    long[] ngrams = new long[0];
    int[] df = new int[0];
    long whole;
    long[] answer;
    final Map<Integer, Integer> votes = new HashMap<>();
    final List<Integer> top = new ArrayList<>();
    final Set<Long> hashSet = new HashSet<>();
    boolean shortMatch;
    boolean leak;
    final Map<Integer, DocHit> hits = new HashMap<>();
    final List<DocHit> shortHits = new ArrayList<>();

    Work(CheckItem item) {
      this.item = item;
    }

    boolean isShort(int n) {
      return tokens < n;
    }
  }

  /** Checks all items; results are in input order. */
  public List<ItemMatch> check(List<CheckItem> items) throws IOException {
    List<Work> work = items.stream().map(Work::new).toList();
    lookups(work);
    fetchMatchedDocuments(work);
    List<Work> shorts = work.stream().filter(w -> w.isShort(scheme.n()) && w.tokens > 0).toList();
    if (!shorts.isEmpty()) {
      if (settings.scanShortItems()) {
        log.println(
            shorts.size()
                + " item(s) have fewer than n="
                + scheme.n()
                + " tokens: scanning the corpus for exact whole-item matches");
        scanShort(shorts);
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
                  NgramIndex.Lookup lookup = index.lookup();
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

  private void lookupOne(
      Work w,
      NgramIndex.Lookup lookup,
      TextNormalizer norm,
      TokenBuffer buf,
      NgramIndex.IntList docs)
      throws IOException {
    int n = scheme.n();
    norm.tokenize(w.item.answer(), buf);
    w.answer = java.util.Arrays.copyOf(buf.hashes(), buf.size());
    norm.tokenize(w.item.text(), buf);
    w.tokens = buf.size();
    if (w.isShort(n)) {
      w.whole = w.tokens > 0 ? NgramHasher.ngramHash(buf.hashes(), 0, w.tokens) : 0;
      return;
    }
    w.ngrams = queryHashes(w.item.text());
    if (w.ngrams.length != w.tokens - n + 1) {
      throw new IllegalStateException("analyzer and normalizer disagree on " + w.item);
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
    w.votes.entrySet().stream()
        .sorted(
            Map.Entry.<Integer, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(Math.max(settings.topDocs(), settings.leakDocs()))
        .forEach(e -> w.top.add(e.getKey()));
  }

  private void fetchMatchedDocuments(List<Work> work) throws IOException {
    NgramIndex.Lookup lookup = index.lookup();
    Map<Integer, Provenance> prov = new HashMap<>();
    Map<Integer, TreeMap<Long, Long>> wanted = new TreeMap<>();
    Map<String, List<Work>> requesters = new HashMap<>();
    for (Work w : work) {
      for (int doc : w.top) {
        Provenance p = prov.get(doc);
        if (p == null) {
          p = lookup.provenance(doc);
          prov.put(doc, p);
        }
        wanted.computeIfAbsent(p.fileOrd(), k -> new TreeMap<>()).put(p.position(), p.byteOffset());
        requesters.computeIfAbsent(p.fileOrd() + ":" + p.position(), k -> new ArrayList<>()).add(w);
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    Map<String, Integer> docOfKey = new HashMap<>();
    prov.forEach((doc, p) -> docOfKey.put(p.fileOrd() + ":" + p.position(), doc));
    TextNormalizer norm = scheme.normalization().newNormalizer();
    TokenBuffer buf = new TokenBuffer();
    DocumentTexts.fetch(
        index.state(),
        wanted,
        (ord, pos, text) -> {
          String key = ord + ":" + pos;
          Integer doc = docOfKey.get(key);
          List<Work> ws = requesters.get(key);
          if (doc == null || ws == null) {
            return;
          }
          Provenance p = prov.get(doc);
          norm.tokenize(text, buf);
          for (Work w : ws) {
            DocOverlap o = new DocOverlap(text, buf, scheme.n(), w.hashSet);
            if (o.answerOutsideMatch(w.answer)) {
              w.leak = true;
            }
            w.hits.put(doc, o.hit(p.file(), p.position(), p.parquet(), p.id(), w.votes.get(doc)));
          }
        },
        log);
    // documents whose text could not be re-read still count, without a snippet
    for (Work w : work) {
      for (int i = 0; i < Math.min(settings.topDocs(), w.top.size()); i++) {
        int doc = w.top.get(i);
        Provenance p = prov.get(doc);
        w.hits.putIfAbsent(
            doc,
            new DocHit(
                p.file(), p.position(), p.parquet(), p.id(), w.votes.get(doc), null, List.of()));
      }
    }
  }

  private void scanShort(List<Work> shorts) throws IOException {
    Map<Integer, Map<Long, List<Work>>> byLen = new TreeMap<>();
    for (Work w : shorts) {
      byLen
          .computeIfAbsent(w.tokens, k -> new HashMap<>())
          .computeIfAbsent(w.whole, k -> new ArrayList<>())
          .add(w);
    }
    IndexState st = index.state();
    TextNormalizer norm = scheme.normalization().newNormalizer();
    TokenBuffer buf = new TokenBuffer();
    for (IndexState.FileEntry f : st.files) {
      if (!f.done()) {
        continue;
      }
      Path path = Path.of(f.path);
      if (!Files.isReadable(path)) {
        log.println(
            "warning: corpus file " + path + " is gone: short items not checked against it");
        continue;
      }
      CorpusReaders.forFile(path, st.textFields, st.idField)
          .read(
              path,
              (CorpusDoc d) -> {
                norm.tokenize(d.text(), buf);
                long[] th = buf.hashes();
                Set<Work> seenHere = new HashSet<>();
                for (Map.Entry<Integer, Map<Long, List<Work>>> e : byLen.entrySet()) {
                  int k = e.getKey();
                  for (int q = 0; q + k <= buf.size(); q++) {
                    List<Work> ws = e.getValue().get(NgramHasher.ngramHash(th, q, k));
                    if (ws == null) {
                      continue;
                    }
                    for (Work w : ws) {
                      if (!seenHere.add(w)) {
                        continue; // one hit per document
                      }
                      DocOverlap o = new DocOverlap(d.text(), buf, k, Set.of(w.whole));
                      w.leak |= o.answerOutsideMatch(w.answer);
                      if (w.shortHits.size() < settings.topDocs()) {
                        w.shortHits.add(
                            o.hit(f.path, d.position(), f.path.endsWith(".parquet"), d.id(), 1));
                      }
                      w.shortMatch = true;
                    }
                  }
                }
                return true;
              },
              new FileStats());
    }
  }

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
