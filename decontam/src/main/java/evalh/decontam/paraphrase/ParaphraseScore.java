package evalh.decontam.paraphrase;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rephrase-robust similarity of an item and a corpus window, in [0, 1] (formula and traps in
 * {@code package-info.java}).
 */
public final class ParaphraseScore {
  /** Shrinkage: weight units added to the denominator, so few-word items cannot score high. */
  public static final double SHRINK = 2.0;

  /** A term matches by prefix when both share this many leading characters. */
  static final int PREFIX = 5;

  /** Credit of a prefix match (a derived form the stemmer does not join: solvable/solvability). */
  static final double PREFIX_CREDIT = 0.5;

  /** Benchmark frequency at which a term's weight reaches zero ({@code b(t)}). */
  static final double TEMPLATE_FULL = 0.5;

  /** Benchmark frequency below which a term keeps its full weight. */
  static final double TEMPLATE_FREE = 0.05;

  private ParaphraseScore() {}

  /** BM25's idf of a term in {@code docFreq} of {@code docs} windows. */
  static double idf(long docFreq, long docs) {
    return Math.log(1 + (docs - docFreq + 0.5) / (docFreq + 0.5));
  }

  /**
   * The template factor {@code b(t)} of a term found in {@code df} of {@code items} checked items:
   * 1 up to a frequency of {@value #TEMPLATE_FREE}, falling linearly in log frequency to 0 at
   * {@value #TEMPLATE_FULL}. With fewer than {@code 1 / TEMPLATE_FREE} items the frequencies say
   * nothing about templates, so every term keeps weight 1.
   */
  static double templateFactor(int df, int items) {
    if (items < 1 / TEMPLATE_FREE || df <= 1) {
      return 1;
    }
    double p = (double) df / items;
    if (p <= TEMPLATE_FREE) {
      return 1;
    }
    if (p >= TEMPLATE_FULL) {
      return 0;
    }
    return Math.log(TEMPLATE_FULL / p) / Math.log(TEMPLATE_FULL / TEMPLATE_FREE);
  }

  /**
   * The weights of {@code terms}: {@code idf(t) / idf(0 docs) · b(t)}.
   *
   * @param docFreq window document frequency of each term
   * @param docs windows in the index
   */
  static ItemTerms weigh(
      List<String> terms, long[] docFreq, long docs, Map<String, Integer> benchDf, int items) {
    double max = idf(0, docs);
    double[] w = new double[terms.size()];
    for (int i = 0; i < w.length; i++) {
      double b = templateFactor(benchDf.getOrDefault(terms.get(i), 0), items);
      // a symbol's head and index are terms of their own; the symbol only vetoes (agreement)
      w[i] = isSymbol(terms.get(i)) ? 0 : idf(docFreq[i], docs) / max * b;
    }
    return new ItemTerms(terms, w);
  }

  /**
   * The credit of each item term in a window whose analyzed terms are {@code window}: 1 exact, 0.5
   * when a window term shares its first {@value #PREFIX} characters or one contains the other (both
   * at least that long: permeable/semipermeable), else 0.
   */
  static double[] credits(ItemTerms item, Set<String> window) {
    return credits(item, WindowTerms.of(window));
  }

  /** {@link #credits(ItemTerms, Set)} of a window prepared for many items. */
  static double[] credits(ItemTerms item, WindowTerms window) {
    double[] c = new double[item.terms().size()];
    for (int i = 0; i < c.length; i++) {
      String t = item.terms().get(i);
      if (window.contains(t)) {
        c[i] = 1;
      } else if (t.length() >= PREFIX && (window.sharesPrefix(t) || window.nests(t))) {
        c[i] = PREFIX_CREDIT;
      }
    }
    return c;
  }

  /** Whether {@code term} is an indexed symbol ({@code z_12}, see {@link IndexedSymbolFilter}). */
  static boolean isSymbol(String term) {
    return term.indexOf('_') > 0 && IndexedSymbolFilter.SYMBOL.matcher(term).matches();
  }

  /**
   * The agreement of a window with the item's indexed symbols: {@code 1 − k / K} for an item with
   * {@code K} symbols of which {@code k} are contradicted by the window, a symbol {@code h_i} being
   * contradicted when the window lacks it but names another member {@code h_j} of its family (same
   * head, other index: ℤ₁₁ for an item about ℤ₇). 1 for an item without symbols.
   */
  static double agreement(ItemTerms item, Set<String> window) {
    int symbols = 0;
    int contradicted = 0;
    for (String t : item.terms()) {
      if (!isSymbol(t)) {
        continue;
      }
      symbols++;
      if (window.contains(t)) {
        continue;
      }
      String head = t.substring(0, t.indexOf('_') + 1);
      for (String u : window) {
        if (u.startsWith(head) && isSymbol(u)) {
          contradicted++;
          break;
        }
      }
    }
    return symbols == 0 ? 1 : 1 - (double) contradicted / symbols;
  }

  /**
   * {@code A(Q, W) · Σ w(t)·credit(t) / (Σ w(t) + SHRINK)}, with {@code A} the window's {@link
   * #agreement} with the item's symbols.
   */
  static double score(ItemTerms item, double[] credits, Set<String> window) {
    double num = 0;
    double[] w = item.weights();
    for (int i = 0; i < w.length; i++) {
      num += w[i] * credits[i];
    }
    return agreement(item, window) * num / (item.total() + SHRINK);
  }

  /**
   * The encoder's cosine similarity joined with the lexical score: their mean, the cosine clipped
   * at 0, {@code (lexical + max(0, cos)) / 2}, in [0, 1]. A window needs both word overlap and
   * meaning to score high, so neither a same-topic window the encoder likes nor a template twin the
   * words match reaches 1 alone.
   */
  public static double combine(double lexical, double cosine) {
    if (!Double.isFinite(cosine)) {
      throw new IllegalArgumentException("non-finite cosine similarity " + cosine);
    }
    return (lexical + Math.max(0, Math.min(1, cosine))) / 2;
  }

  /** The cosine similarity of two vectors (0 when either is zero). */
  static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "embeddings of different lengths " + a.length + " and " + b.length);
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
