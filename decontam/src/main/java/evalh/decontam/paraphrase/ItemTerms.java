package evalh.decontam.paraphrase;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The weighted content terms of one item (or of a null pseudo-item): the distinct analyzed terms of
 * question and gold answer, each with weight {@code w(t) = idf(t) / idfMax · b(t)} (see {@link
 * ParaphraseScore}).
 *
 * @param terms distinct terms in first-seen order
 * @param weights one per term
 */
public record ItemTerms(List<String> terms, double[] weights) {
  /** The distinct analyzed terms of question and answer. */
  static List<String> distinct(ParaphraseAnalyzer analyzer, ParaphraseItem item) {
    LinkedHashSet<String> s = new LinkedHashSet<>(analyzer.terms(item.question()));
    s.addAll(analyzer.terms(item.answer()));
    return new ArrayList<>(s);
  }

  /**
   * The benchmark document frequencies of terms: in how many of {@code itemTerms} (one distinct
   * term list per item) each term occurs.
   */
  static Map<String, Integer> benchmarkDf(Collection<List<String>> itemTerms) {
    Map<String, Integer> df = new HashMap<>();
    for (List<String> ts : itemTerms) {
      for (String t : ts) {
        df.merge(t, 1, Integer::sum);
      }
    }
    return df;
  }

  double total() {
    double s = 0;
    for (double w : weights) {
      s += w;
    }
    return s;
  }
}
