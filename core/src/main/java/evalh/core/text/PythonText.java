package evalh.core.text;

/**
 * Python {@code str} whitespace, which lm-evaluation-harness' string handling depends on ({@code
 * rstrip}, {@code strip}, {@code split}) and which differs from Java's: NBSP, U+2007 and U+202F are
 * spaces, U+200B is not.
 */
public final class PythonText {
  private PythonText() {}

  /** Python's {@code str.isspace()} for one code point: bidi class WS, B or S, or category Zs. */
  public static boolean isSpace(int cp) {
    return switch (cp) {
      case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680 -> true;
      case 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
      default -> cp >= 0x2000 && cp <= 0x200A;
    };
  }

  /** The index just past the last non-space code point: {@code s[:i] == s.rstrip()}. */
  public static int rstripIndex(String s) {
    int end = s.length();
    while (end > 0) {
      int cp = s.codePointBefore(end);
      if (!isSpace(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return end;
  }
}
