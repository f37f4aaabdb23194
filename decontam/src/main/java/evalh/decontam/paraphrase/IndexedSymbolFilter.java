package evalh.decontam.paraphrase;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Cuts tokens at underscores, and keeps indexed symbols whole as well: a token of letters, an
 * underscore and digits ({@code z_12}, which the analyzer's char filter makes of {@code Z_12} and
 * {@code ℤ₁₂}) becomes its head {@code z}, its index {@code 12} and, stacked on the index's
 * position, the symbol {@code z_12} itself. The head and index match the words of "Z 12" or "the
 * integers modulo 12"; the symbol lets the score tell {@code ℤ₁₂} from {@code ℤ₁₁} ({@link
 * ParaphraseScore#agreement}). Any other token with underscores becomes its parts, as if they were
 * spaces.
 */
final class IndexedSymbolFilter extends TokenFilter {
  /** An indexed symbol: letters, an underscore, digits. */
  static final Pattern SYMBOL = Pattern.compile("\\p{IsAlphabetic}+_[0-9]+");

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);

  /** Terms still to emit from the current token, each with its position increment. */
  private final Deque<String> pending = new ArrayDeque<>();

  private final Deque<Integer> increments = new ArrayDeque<>();
  private State state;

  IndexedSymbolFilter(TokenStream in) {
    super(in);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (!pending.isEmpty()) {
      restoreState(state);
      term.setEmpty().append(pending.poll());
      posInc.setPositionIncrement(increments.poll());
      return true;
    }
    if (!input.incrementToken()) {
      return false;
    }
    String t = term.toString();
    if (t.indexOf('_') < 0) {
      return true;
    }
    int first = posInc.getPositionIncrement();
    for (String part : t.split("_")) {
      if (!part.isEmpty()) {
        pending.add(part);
        increments.add(pending.size() == 1 ? first : 1);
      }
    }
    if (SYMBOL.matcher(t).matches()) {
      pending.add(t);
      increments.add(0);
    }
    if (pending.isEmpty()) {
      // only underscores: nothing to index
      return incrementToken();
    }
    state = captureState();
    term.setEmpty().append(pending.poll());
    posInc.setPositionIncrement(increments.poll());
    return true;
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    pending.clear();
    increments.clear();
    state = null;
  }
}
