package evalh.decontam.check;

import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.TokenizedDoc;
import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.Normalization;
import evalh.decontam.text.TextNormalizer;
import evalh.decontam.text.TokenBuffer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Exact whole-item matching for items shorter than n tokens (they have no n-gram): every document
 * is tokenised and each of its k-token windows is compared with the items of k tokens. Mergeable,
 * so a scan split over many workers gives the result of one sequential scan: per item whether it
 * occurs, whether the gold answer occurs outside it, and the first {@code topDocs} matching
 * documents in (file, position) order.
 */
public final class ShortItemScan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Document order for "first matching documents": file, then position. */
  public static final Comparator<DocHit> HIT_ORDER =
      Comparator.comparing(DocHit::file).thenComparingLong(DocHit::position);

  private final Normalization normalization;
  private final int topDocs;
  private final int[] lengths;
  private final long[] firstTokens;
  private final long[] wholes;
  private final long[][] answers;
  private final boolean[] matched;
  private final boolean[] leaked;
  private final List<List<DocHit>> hits;
  private transient Map<Integer, Map<Long, List<Integer>>> byLength;

  /** Per first-token hash of a short item, the lengths of the items starting with it. */
  private transient Map<Long, int[]> lengthsByFirstToken;

  private transient TextNormalizer normalizer;
  private transient TokenBuffer buffer;

  /**
   * @param lengths per short item, its token count (1..n-1)
   * @param firstTokens per short item, the hash of its first token
   * @param wholes per short item, the hash of all its tokens
   * @param answers per short item, the token hashes of its gold answer
   */
  public ShortItemScan(
      Normalization normalization,
      int topDocs,
      int[] lengths,
      long[] firstTokens,
      long[] wholes,
      long[][] answers) {
    if (lengths.length != wholes.length
        || lengths.length != answers.length
        || lengths.length != firstTokens.length) {
      throw new IllegalArgumentException("one length, first token, hash and answer per item");
    }
    this.normalization = normalization;
    this.topDocs = topDocs;
    this.lengths = lengths.clone();
    this.firstTokens = firstTokens.clone();
    this.wholes = wholes.clone();
    this.answers = answers.clone();
    this.matched = new boolean[lengths.length];
    this.leaked = new boolean[lengths.length];
    this.hits = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      hits.add(new ArrayList<>());
    }
  }

  /** A scan of the same items with nothing seen yet. */
  public ShortItemScan emptyCopy() {
    return new ShortItemScan(normalization, topDocs, lengths, firstTokens, wholes, answers);
  }

  public int size() {
    return lengths.length;
  }

  public boolean isEmpty() {
    return lengths.length == 0;
  }

  /** Checks one document of {@code file}. */
  public void visit(String file, CorpusDoc doc) {
    if (isEmpty()) {
      return;
    }
    init();
    normalizer.tokenize(doc.text(), buffer);
    visit(file, buffer.hashes(), buffer.size(), () -> doc, true);
  }

  /**
   * Checks one document of {@code file} from its token hashes; its text is decoded only when a
   * short item occurs in it.
   */
  public void visit(String file, TokenizedDoc doc) {
    if (isEmpty()) {
      return;
    }
    init();
    visit(file, doc.tokens().array(), doc.tokens().size(), doc::doc, false);
  }

  private void init() {
    if (byLength == null) {
      byLength = new HashMap<>();
      Map<Long, Set<Integer>> starts = new HashMap<>();
      for (int i = 0; i < lengths.length; i++) {
        byLength
            .computeIfAbsent(lengths[i], k -> new HashMap<>())
            .computeIfAbsent(wholes[i], k -> new ArrayList<>())
            .add(i);
        starts.computeIfAbsent(firstTokens[i], k -> new java.util.TreeSet<>()).add(lengths[i]);
      }
      lengthsByFirstToken = new HashMap<>();
      starts.forEach(
          (t, ks) -> lengthsByFirstToken.put(t, ks.stream().mapToInt(Integer::intValue).toArray()));
      normalizer = normalization.newNormalizer();
      buffer = new TokenBuffer();
    }
  }

  /**
   * @param th the document's token hashes, {@code [0, size)}
   * @param tokenized whether {@link #buffer} already holds the document's tokens with spans
   */
  private void visit(
      String file, long[] th, int size, Supplier<CorpusDoc> source, boolean tokenized) {
    CorpusDoc doc = null;
    Set<Integer> seenHere = new HashSet<>();
    for (int q = 0; q < size; q++) {
      // only where a short item could start: its first token is here
      int[] ks = lengthsByFirstToken.get(th[q]);
      if (ks == null) {
        continue;
      }
      for (int k : ks) {
        if (q + k > size) {
          break;
        }
        List<Integer> items = byLength.get(k).get(NgramHasher.ngramHash(th, q, k));
        if (items == null) {
          continue;
        }
        for (int i : items) {
          if (!seenHere.add(i)) {
            continue; // one hit per document
          }
          if (doc == null) {
            doc = source.get();
            if (!tokenized) {
              normalizer.tokenize(doc.text(), buffer); // the spans, for the snippet
            }
          }
          DocOverlap o = new DocOverlap(doc.text(), buffer, k, Set.of(wholes[i]));
          leaked[i] |= o.answerOutsideMatch(answers[i]);
          matched[i] = true;
          offer(i, o.hit(file, doc.position(), file.endsWith(".parquet"), doc.id(), 1));
        }
      }
    }
  }

  private void offer(int i, DocHit hit) {
    List<DocHit> h = hits.get(i);
    h.add(hit);
    if (h.size() > topDocs) {
      h.sort(HIT_ORDER);
      h.subList(topDocs, h.size()).clear();
    }
  }

  /** Adds what another scan of the same items saw (over other documents). */
  public void merge(ShortItemScan other) {
    if (other.lengths.length != lengths.length) {
      throw new IllegalArgumentException("merging scans of different items");
    }
    for (int i = 0; i < lengths.length; i++) {
      matched[i] |= other.matched[i];
      leaked[i] |= other.leaked[i];
      for (DocHit h : other.hits.get(i)) {
        offer(i, h);
      }
    }
  }

  public boolean matched(int i) {
    return matched[i];
  }

  public boolean leaked(int i) {
    return leaked[i];
  }

  /** The first matching documents in (file, position) order. */
  public List<DocHit> hits(int i) {
    List<DocHit> h = new ArrayList<>(hits.get(i));
    h.sort(HIT_ORDER);
    return h;
  }
}
