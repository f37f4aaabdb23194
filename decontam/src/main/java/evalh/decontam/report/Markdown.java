package evalh.decontam.report;

import evalh.decontam.check.DocHit;
import java.util.List;

/** Markdown escaping for user text (corpus snippets, task names). */
final class Markdown {
  private Markdown() {}

  /** Escapes Markdown and HTML metacharacters and flattens newlines. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\', '`', '*', '_', '[', ']', '#', '|', '~', '!', '(', ')', '{', '}' ->
            sb.append('\\').append(c);
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '\n', '\r', '\t' -> sb.append(' ');
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The escaped snippet with highlighted ranges in bold. */
  static String highlight(String snippet, List<DocHit.Range> ranges) {
    StringBuilder sb = new StringBuilder("…");
    int at = 0;
    for (DocHit.Range r : ranges) {
      sb.append(escape(snippet.substring(at, r.start())));
      sb.append("**").append(escape(snippet.substring(r.start(), r.end()))).append("**");
      at = r.end();
    }
    sb.append(escape(snippet.substring(at))).append('…');
    return sb.toString();
  }
}
