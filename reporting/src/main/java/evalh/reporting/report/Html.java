package evalh.reporting.report;

import org.apache.commons.text.StringEscapeUtils;

/** HTML escaping of every string that comes from data (task names, labels, questions). */
public final class Html {
  private Html() {}

  /**
   * Escapes text for an HTML element or a double-quoted attribute ({@code & < > "} and non-ASCII as
   * entities); control characters other than tab and newline are dropped.
   */
  public static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder clean = new StringBuilder(s.length());
    s.codePoints()
        .filter(cp -> cp == '\t' || cp == '\n' || (cp >= 0x20 && cp != 0x7f))
        .forEach(clean::appendCodePoint);
    return StringEscapeUtils.escapeHtml4(clean.toString()).replace("'", "&#39;");
  }
}
