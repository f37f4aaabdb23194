package evalh.decontam.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Unicode-aware normalisation: split on Unicode whitespace ({@link Character#isWhitespace} or a
 * space separator, so NBSP too), then per run NFKC, full case folding (approximated as {@code
 * toUpperCase(ROOT).toLowerCase(ROOT)}, which maps ß to ss and final sigma to sigma), NFKC again,
 * and deletion of every code point of a Unicode punctuation (P*) or symbol (S*) category. Digits
 * and letters of every script are kept. A run whose NFKC form contains whitespace (compatibility
 * characters such as U+2474) is split again; its tokens share the run's span. On pure ASCII this is
 * exactly {@link JanitorNormalizer} (string.punctuation is precisely the ASCII P* and S* set).
 */
public final class UnicodeNormalizer implements TextNormalizer {
  private char[] scratch = new char[64];

  private static boolean isSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  private static boolean isDeleted(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL -> {
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  @Override
  public void tokenize(CharSequence text, TokenBuffer out) {
    out.clear();
    int n = text.length();
    int i = 0;
    while (i < n) {
      int cp = Character.codePointAt(text, i);
      if (isSpace(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      boolean allAscii = true;
      while (i < n) {
        cp = Character.codePointAt(text, i);
        if (isSpace(cp)) {
          break;
        }
        allAscii &= cp < 128;
        i += Character.charCount(cp);
      }
      String run = text.subSequence(start, i).toString();
      if (allAscii) {
        // fast path, identical result: ASCII has no NFKC or folding effects beyond A-Z
        addNormalized(run.toLowerCase(Locale.ROOT), start, i, out);
        continue;
      }
      String folded =
          Normalizer.normalize(
              Normalizer.normalize(run, Normalizer.Form.NFKC)
                  .toUpperCase(Locale.ROOT)
                  .toLowerCase(Locale.ROOT),
              Normalizer.Form.NFKC);
      addNormalized(folded, start, i, out);
    }
  }

  /** Deletes punctuation/symbols from {@code s}, splits on whitespace, adds tokens to out. */
  private void addNormalized(String s, int start, int end, TokenBuffer out) {
    int len = 0;
    int j = 0;
    while (j <= s.length()) {
      int cp = j < s.length() ? s.codePointAt(j) : ' ';
      if (isSpace(cp)) {
        if (len > 0) {
          out.add(scratch, len, start, end);
          len = 0;
        }
      } else if (!isDeleted(cp)) {
        if (len + 2 > scratch.length) {
          scratch = java.util.Arrays.copyOf(scratch, scratch.length * 2 + 2);
        }
        len += Character.toChars(cp, scratch, len);
      }
      j += j < s.length() ? Character.charCount(cp) : 1;
    }
  }
}
