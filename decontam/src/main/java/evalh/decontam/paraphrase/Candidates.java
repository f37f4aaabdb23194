package evalh.decontam.paraphrase;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which windows an item's score is taken over: its candidates, defined so that the window index and
 * a distributed scan find exactly the same ones.
 *
 * <p>A window's <b>overlap</b> with an item is the sum of the item's <b>units</b> over the item
 * terms the window holds exactly: {@code units(t) = round(w(t)³ · 2^14)}, {@code w} the term's
 * weight ({@link ParaphraseScore#weigh}; cubed so that the item's rarer terms decide which windows
 * are candidates), 0 beyond the first {@value #MAX_TERMS} terms with units, and 0 for the lightest
 * terms, each under {@value #MIN_TERM_SHARE} of the item's total, while together under {@value
 * #MAX_DROPPED_SHARE} of it. The candidates are, of the windows whose overlap is at least {@link
 * #minOverlap} ({@value #MIN_SHARE} of the units of the item's terms some window holds, outside the
 * encoder pass), the {@code k} of highest overlap, ties broken by provenance (file, line or row,
 * word offset: every window has its own); the item's score is the best {@link ParaphraseScore} over
 * them, 0 when there is none. Overlaps are integers below 2^24, so the float sums a Lucene query
 * adds up in any order are exact: the index's top-k and a scan's bounded heaps agree window for
 * window.
 */
public final class Candidates {
  /** Item terms with units that count (Lucene's default limit of clauses in one query). */
  public static final int MAX_TERMS = 1024;

  /** Units of weight 1. */
  static final double UNIT = 1 << 14;

  /**
   * The least share of an item's units a candidate window must hold in the lexical pass (see the
   * class comment and package-info's traps).
   */
  public static final double MIN_SHARE = 0.2;

  /**
   * A term with less than this share of the item's units gets none (while the terms dropped so hold
   * less than {@link #MAX_DROPPED_SHARE} together): an item's common words hardly tell windows
   * apart, and their long postings are much of a query's cost.
   */
  public static final double MIN_TERM_SHARE = 0.01;

  /** At most this share of an item's units is dropped with its lightest terms. */
  public static final double MAX_DROPPED_SHARE = 0.1;

  private Candidates() {}

  /** The units of each of the item's terms (see the class comment). */
  public static long[] units(ItemTerms item) {
    double[] w = item.weights();
    long[] u = new long[w.length];
    int used = 0;
    long total = 0;
    for (int i = 0; i < w.length && used < MAX_TERMS; i++) {
      u[i] = Math.round(w[i] * w[i] * w[i] * UNIT);
      used += u[i] > 0 ? 1 : 0;
      total += u[i];
    }
    // the lightest terms, each under MIN_TERM_SHARE of the total, while together under
    // MAX_DROPPED_SHARE (so that an item of many equal terms keeps most of them)
    Integer[] lightest = new Integer[u.length];
    for (int i = 0; i < u.length; i++) {
      lightest[i] = i;
    }
    Arrays.sort(lightest, Comparator.comparingLong((Integer i) -> u[i]).thenComparing(i -> i));
    long dropped = 0;
    for (int i : lightest) {
      if (u[i] == 0) {
        continue;
      }
      if (u[i] >= MIN_TERM_SHARE * total || dropped + u[i] >= MAX_DROPPED_SHARE * total) {
        break;
      }
      dropped += u[i];
      u[i] = 0;
    }
    return u;
  }

  /**
   * The least overlap of a candidate: {@code ceil(minShare · Σ units)} over the terms some window
   * holds ({@code docFreq > 0}: a term no window holds cannot tell windows apart), at least 1 (a
   * window sharing no term with the item is none).
   */
  public static long minOverlap(long[] units, long[] docFreq, double minShare) {
    long total = 0;
    for (int i = 0; i < units.length; i++) {
      total += docFreq[i] > 0 ? units[i] : 0;
    }
    return Math.max(1, (long) Math.ceil(minShare * total));
  }

  /** A window's overlap with an item: its units over the item terms among {@code windowTerms}. */
  public static long overlap(ItemTerms item, long[] units, Set<String> windowTerms) {
    long s = 0;
    for (int i = 0; i < units.length; i++) {
      if (units[i] > 0 && windowTerms.contains(item.terms().get(i))) {
        s += units[i];
      }
    }
    return s;
  }

  /** The lexical score of an item in a window of these distinct analyzed terms. */
  public static double lexical(ItemTerms item, Set<String> windowTerms) {
    return lexical(item, WindowTerms.of(windowTerms));
  }

  /** The lexical score of an item in a window prepared for scoring many items. */
  public static double lexical(ItemTerms item, WindowTerms window) {
    return ParaphraseScore.score(item, ParaphraseScore.credits(item, window), window.set());
  }

  /**
   * One candidate window of an item.
   *
   * @param file corpus file (path or URI identity)
   * @param position line or row of its document
   * @param wordOffset its first word in the document
   * @param overlap see the class comment
   * @param lexical its {@link ParaphraseScore} for the item
   * @param ref where its source finds it again (a Lucene doc id; -1 for a scan)
   */
  public record Candidate(
      String file, long position, int wordOffset, long overlap, double lexical, long ref) {}

  /** Best first: overlap descending, then file, position and word offset ascending. */
  public static final Comparator<Candidate> ORDER =
      Comparator.comparingLong(Candidate::overlap)
          .reversed()
          .thenComparing(Candidate::file)
          .thenComparingLong(Candidate::position)
          .thenComparingInt(Candidate::wordOffset);

  /** The first {@code k} of {@code cs} in {@link #ORDER}. */
  public static List<Candidate> best(List<Candidate> cs, int k) {
    return cs.stream().sorted(ORDER).limit(k).toList();
  }
}
