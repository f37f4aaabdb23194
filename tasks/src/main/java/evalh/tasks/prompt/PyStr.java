package evalh.tasks.prompt;

import evalh.core.text.PythonText;

/** Python {@code str} semantics that prompts and counts depend on. */
public final class PyStr {
  private PyStr() {}

  /**
   * Python's {@code str.isspace()} for one code point: bidirectional class WS, B or S, or category
   * Zs. Differs from Java's {@code Character.isWhitespace} (NBSP, U+2007, U+202F are spaces).
   */
  public static boolean isSpace(int cp) {
    return PythonText.isSpace(cp);
  }

  /** Python's {@code s.strip()}. */
  public static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end) {
      int cp = s.codePointAt(start);
      if (!isSpace(cp)) {
        break;
      }
      start += Character.charCount(cp);
    }
    while (end > start) {
      int cp = s.codePointBefore(end);
      if (!isSpace(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return s.substring(start, end);
  }

  /** The regex character class of Python's {@code \s} on {@code str} patterns. */
  public static final String SPACE_CLASS =
      "[\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F"
          + "\\u205F\\u3000]";

  private static final java.util.regex.Pattern SPACES =
      java.util.regex.Pattern.compile(SPACE_CLASS + "+");

  /** {@code len(re.split(r"\s+", s))}: lm-eval's word count (empty pieces included). */
  public static int pythonSplitWordCount(String s) {
    java.util.regex.Matcher m = SPACES.matcher(s);
    int n = 1;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** {@code len(s.encode("utf-8"))}. */
  public static int utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
