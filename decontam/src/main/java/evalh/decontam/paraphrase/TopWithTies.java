package evalh.decontam.paraphrase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;

/**
 * Of the documents scoring at least a floor, collects those of the {@code k} highest scores and
 * every document tied with the k-th, telling the scorer that lower scores may be skipped (Lucene
 * skips only scores strictly below the minimum competitive score). Lucene's own top-k collector
 * breaks ties by doc id, which depends on the order of indexing; candidates break them by
 * provenance instead ({@link Candidates#ORDER}).
 */
final class TopWithTies implements Collector {
  private final int k;
  private final float least;
  private final TreeMap<Float, List<Integer>> byScore = new TreeMap<>();
  private int total;

  /** Keeps the best {@code k} (and ties) of the documents scoring at least {@code least}. */
  TopWithTies(int k, float least) {
    this.k = k;
    this.least = least;
  }

  static CollectorManager<TopWithTies, TopWithTies> manager(int k, float least) {
    return new CollectorManager<>() {
      @Override
      public TopWithTies newCollector() {
        return new TopWithTies(k, least);
      }

      @Override
      public TopWithTies reduce(Collection<TopWithTies> collectors) {
        TopWithTies all = new TopWithTies(k, least);
        for (TopWithTies c : collectors) {
          c.byScore.forEach((s, docs) -> docs.forEach(d -> all.add(s, d)));
        }
        return all;
      }
    };
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.TOP_SCORES;
  }

  /** Adds a hit; drops the lowest score while at least {@code k} hits score above it. */
  private void add(float score, int doc) {
    byScore.computeIfAbsent(score, s -> new ArrayList<>(2)).add(doc);
    total++;
    while (total - byScore.firstEntry().getValue().size() >= k) {
      total -= byScore.pollFirstEntry().getValue().size();
    }
  }

  /**
   * The minimum competitive score: the k-th score once {@code k} hits are held, at least {@code
   * least}.
   */
  private float floor() {
    return total >= k ? Math.max(least, byScore.firstKey()) : least;
  }

  @Override
  public LeafCollector getLeafCollector(LeafReaderContext context) {
    int base = context.docBase;
    return new LeafCollector() {
      private Scorable scorer;
      private float told;

      @Override
      public void setScorer(Scorable s) throws IOException {
        scorer = s;
        told = floor();
        if (told > 0) {
          s.setMinCompetitiveScore(told);
        }
      }

      @Override
      public void collect(int doc) throws IOException {
        float s = scorer.score();
        if (s < floor()) {
          return;
        }
        add(s, base + doc);
        float f = floor();
        if (f > told) {
          told = f;
          scorer.setMinCompetitiveScore(f);
        }
      }
    };
  }

  /** The hits' doc ids, best score first (ties in no set order). */
  int[] docs() {
    int[] out = new int[total];
    int i = 0;
    for (Map.Entry<Float, List<Integer>> e : byScore.descendingMap().entrySet()) {
      for (int d : e.getValue()) {
        out[i++] = d;
      }
    }
    return out;
  }

  /** The hits' scores, in the order of {@link #docs}. */
  float[] scores() {
    float[] out = new float[total];
    int i = 0;
    for (Map.Entry<Float, List<Integer>> e : byScore.descendingMap().entrySet()) {
      for (int j = 0; j < e.getValue().size(); j++) {
        out[i++] = e.getKey();
      }
    }
    return out;
  }
}
