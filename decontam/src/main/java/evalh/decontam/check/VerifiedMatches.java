package evalh.decontam.check;

import evalh.decontam.index.NgramIndex;
import evalh.decontam.index.Provenance;
import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.TextNormalizer;
import evalh.decontam.text.TokenBuffer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.lucene.internal.hppc.LongHashSet;

/**
 * Exact postings for a winnowed index ({@link NgramScheme#winnowed()}): the index names the
 * candidate documents (those holding a window minimum equal to one of the items' n-grams); each
 * candidate is re-read through its provenance, all its n-grams are hashed (stride 1, the same
 * {@link TextNormalizer} and {@link NgramHasher}) and the items' n-grams among them are counted.
 * Document frequencies, votes, coverage, runs and labels are then exact over the candidates, which
 * include every document sharing a run of at least {@code n + window - 1} tokens with some item. A
 * candidate that cannot be re-read (file moved, changed or on another file system) is an error,
 * never a silent lower bound.
 */
public final class VerifiedMatches implements CorpusMatches {
  private final CorpusMatches base;
  private final Map<Long, int[]> exact;
  private final int candidates;

  private VerifiedMatches(CorpusMatches base, Map<Long, int[]> exact, int candidates) {
    this.base = base;
    this.exact = exact;
    this.candidates = candidates;
  }

  /** Candidate documents re-read and re-counted. */
  public int candidates() {
    return candidates;
  }

  /** Finds and verifies the candidates of {@code itemHashes} (the items' n-gram hashes). */
  public static VerifiedMatches verify(CorpusMatches base, long[] itemHashes, PrintWriter log)
      throws IOException {
    NgramScheme scheme = base.scheme();
    Postings postings = base.postings();
    NgramIndex.IntList docs = new NgramIndex.IntList();
    TreeSet<Integer> candidates = new TreeSet<>();
    for (long h : itemHashes) {
      postings.docFreq(h, Integer.MAX_VALUE, docs);
      for (int i = 0; i < docs.size(); i++) {
        candidates.add(docs.get(i));
      }
    }
    Map<String, TreeMap<Long, Long>> wanted = new HashMap<>();
    Map<String, Map<Long, Integer>> numbers = new HashMap<>();
    for (int d : candidates) {
      Provenance p = postings.provenance(d);
      wanted.computeIfAbsent(p.file(), f -> new TreeMap<>()).put(p.position(), p.byteOffset());
      numbers.computeIfAbsent(p.file(), f -> new HashMap<>()).put(p.position(), d);
    }
    LongHashSet items = new LongHashSet(itemHashes.length);
    items.addAll(itemHashes);
    TextNormalizer normalizer = scheme.normalization().newNormalizer();
    TokenBuffer buffer = new TokenBuffer();
    Map<Long, NgramIndex.IntList> found = new HashMap<>();
    int[] verified = {0};
    int unreadBefore = base.unreadTexts().size();
    base.fetchTexts(
        wanted,
        (file, position, text) -> {
          Integer doc = numbers.get(file).get(position);
          if (doc == null) {
            return;
          }
          normalizer.tokenize(text, buffer);
          long[] ngrams = NgramHasher.ngramHashes(buffer, scheme.n());
          Arrays.sort(ngrams);
          for (int i = 0; i < ngrams.length; i++) {
            if ((i == 0 || ngrams[i] != ngrams[i - 1]) && items.contains(ngrams[i])) {
              found.computeIfAbsent(ngrams[i], h -> new NgramIndex.IntList()).add(doc);
            }
          }
          verified[0]++;
        },
        log);
    List<Unread> unread = base.unreadTexts().subList(unreadBefore, base.unreadTexts().size());
    if (!unread.isEmpty()) {
      throw new IOException(
          "cannot verify the candidates of a winnowed index: corpus file "
              + unread.get(0).file()
              + " "
              + unread.get(0).reason()
              + " (the window minima only name candidate documents; their exact counts need the"
              + " text)");
    }
    if (verified[0] != candidates.size()) {
      throw new IOException(
          "cannot verify the candidates of a winnowed index: "
              + (candidates.size() - verified[0])
              + " of "
              + candidates.size()
              + " candidate documents could not be re-read from their corpus files (changed since"
              + " indexing?)");
    }
    Map<Long, int[]> exact = new HashMap<>();
    found.forEach(
        (h, l) -> {
          int[] a = new int[l.size()];
          for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
          }
          Arrays.sort(a);
          exact.put(h, a);
        });
    log.printf(
        Locale.ROOT,
        "winnowed index (window %d, n-gram %d): %d candidate documents re-read and re-counted%n",
        scheme.window(),
        scheme.n(),
        candidates.size());
    return new VerifiedMatches(base, exact, candidates.size());
  }

  @Override
  public NgramScheme scheme() {
    return base.scheme();
  }

  @Override
  public Postings postings() throws IOException {
    Postings p = base.postings();
    return new Postings() {
      @Override
      public int docFreq(long hash, int collectLimit, NgramIndex.IntList out) {
        out.clear();
        int[] docs = exact.get(hash);
        if (docs == null) {
          return 0;
        }
        if (docs.length <= collectLimit) {
          for (int d : docs) {
            out.add(d);
          }
        }
        return docs.length;
      }

      @Override
      public Provenance provenance(int doc) throws IOException {
        return p.provenance(doc);
      }
    };
  }

  @Override
  public void fetchTexts(Map<String, TreeMap<Long, Long>> wanted, TextSink sink, PrintWriter log)
      throws IOException {
    base.fetchTexts(wanted, sink, log);
  }

  @Override
  public void scanShortItems(ShortItemScan scan, PrintWriter log) throws IOException {
    base.scanShortItems(scan, log);
  }

  @Override
  public List<Unread> unreadTexts() {
    return base.unreadTexts();
  }

  @Override
  public List<Unread> unreadForShortItems() {
    return base.unreadForShortItems();
  }
}
