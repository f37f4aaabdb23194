package evalh.decontam.text;

import evalh.core.text.PythonText;

/**
 * lm-evaluation-harness janitor normalisation ({@code lm_eval/decontamination/janitor.py}): ASCII
 * {@code A-Z} lower-cased, every character of Python's {@code string.punctuation} deleted, then
 * Python {@code str.split()} (split on runs of Unicode whitespace as Python defines it, empty
 * strings dropped). Non-ASCII characters are left untouched. Because deletion never creates or
 * removes whitespace, a token is a maximal non-whitespace run of the original text with its
 * punctuation removed; runs made only of punctuation vanish, as in Python.
 */
public final class JanitorNormalizer implements TextNormalizer {
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  private static final boolean[] DELETE = new boolean[128];

  static {
    for (int i = 0; i < PUNCTUATION.length(); i++) {
      DELETE[PUNCTUATION.charAt(i)] = true;
    }
  }

  private char[] scratch = new char[64];

  /**
   * Python's {@code str.isspace()} for one UTF-16 unit (all such characters are in the BMP):
   * bidirectional class WS, B or S, or category Zs.
   */
  public static boolean isPythonWhitespace(char c) {
    return PythonText.isSpace(c);
  }

  @Override
  public void tokenize(CharSequence text, TokenBuffer out) {
    out.clear();
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && isPythonWhitespace(text.charAt(i))) {
        i++;
      }
      if (i == n) {
        break;
      }
      int start = i;
      int len = 0;
      while (i < n) {
        char c = text.charAt(i);
        if (isPythonWhitespace(c)) {
          break;
        }
        if (c < 128) {
          if (DELETE[c]) {
            i++;
            continue;
          }
          if (c >= 'A' && c <= 'Z') {
            c = (char) (c + ('a' - 'A'));
          }
        }
        if (len == scratch.length) {
          scratch = java.util.Arrays.copyOf(scratch, len * 2);
        }
        scratch[len++] = c;
        i++;
      }
      if (len > 0) {
        out.add(scratch, len, start, i);
      }
    }
  }
}
