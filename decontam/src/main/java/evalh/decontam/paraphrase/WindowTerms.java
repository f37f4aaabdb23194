package evalh.decontam.paraphrase;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

/**
 * A window's distinct analyzed terms, prepared once for the credits of every item scored against
 * the window ({@link ParaphraseScore#credits}): the term set for exact matches, the set of {@value
 * ParaphraseScore#PREFIX}-character prefixes, the terms joined by spaces (an item term inside a
 * longer window term is one {@code indexOf}) and the long terms by length (a window term inside a
 * longer item term).
 */
public final class WindowTerms {
  private final Set<String> terms;
  private final Set<String> prefixes = new HashSet<>();
  private final String joined;
  private final String[] longByLength;

  private WindowTerms(Set<String> terms) {
    this.terms = terms;
    StringBuilder sb = new StringBuilder();
    int longCount = 0;
    for (String u : terms) {
      sb.append(u).append(' ');
      if (u.length() >= ParaphraseScore.PREFIX) {
        prefixes.add(u.substring(0, ParaphraseScore.PREFIX));
        longCount++;
      }
    }
    this.joined = sb.toString();
    String[] ls = new String[longCount];
    int i = 0;
    for (String u : terms) {
      if (u.length() >= ParaphraseScore.PREFIX) {
        ls[i++] = u;
      }
    }
    Arrays.sort(ls, Comparator.comparingInt(String::length));
    this.longByLength = ls;
  }

  /** The window of these distinct terms. */
  public static WindowTerms of(Collection<String> terms) {
    return new WindowTerms(terms instanceof Set<String> s ? s : new HashSet<>(terms));
  }

  /** The terms as a set. */
  public Set<String> set() {
    return terms;
  }

  boolean contains(String t) {
    return terms.contains(t);
  }

  /** Whether a window term shares the first {@value ParaphraseScore#PREFIX} characters of t. */
  boolean sharesPrefix(String t) {
    return t.length() >= ParaphraseScore.PREFIX
        && prefixes.contains(t.substring(0, ParaphraseScore.PREFIX));
  }

  /**
   * Whether a window term {@code u} of at least {@value ParaphraseScore#PREFIX} characters contains
   * {@code t} or is contained in it ({@code t} itself not being a window term).
   */
  boolean nests(String t) {
    if (t.indexOf(' ') < 0) {
      // t has no separator, so a match in the joined terms lies inside one term u, |u| >= |t|
      if (t.length() >= ParaphraseScore.PREFIX && joined.contains(t)) {
        return true;
      }
    } else {
      for (String u : longByLength) {
        if (u.contains(t)) {
          return true;
        }
      }
    }
    // u inside t: u is shorter than t (of equal length it would be t)
    for (String u : longByLength) {
      if (u.length() >= t.length()) {
        break;
      }
      if (t.contains(u)) {
        return true;
      }
    }
    return false;
  }
}
