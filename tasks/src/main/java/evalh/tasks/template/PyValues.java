package evalh.tasks.template;

import evalh.core.text.PythonText;
import evalh.tasks.output.PyRepr;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code str()} and {@code repr()} of the values dataset readers produce (String, Long,
 * Double, Boolean, null, List, Map), which is what Jinja prints for {@code {{ value }}}.
 */
public final class PyValues {
  private PyValues() {}

  /** {@code str(v)}. */
  public static String str(Object v) {
    return v instanceof String s ? s : repr(v);
  }

  /** {@code repr(v)}. */
  public static String repr(Object v) {
    StringBuilder sb = new StringBuilder();
    repr(sb, v);
    return sb.toString();
  }

  private static void repr(StringBuilder sb, Object v) {
    switch (v) {
      case null -> sb.append("None");
      case String s -> reprString(sb, s);
      case Boolean b -> sb.append(b ? "True" : "False");
      case Long l -> sb.append(l);
      case Integer i -> sb.append(i);
      case Double d -> sb.append(PyRepr.floatRepr(d));
      case List<?> l -> {
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          sb.append(i == 0 ? "" : ", ");
          repr(sb, l.get(i));
        }
        sb.append(']');
      }
      case Map<?, ?> m -> {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          sb.append(first ? "" : ", ");
          first = false;
          repr(sb, e.getKey());
          sb.append(": ");
          repr(sb, e.getValue());
        }
        sb.append('}');
      }
      default -> throw new TemplateException("cannot print a " + v.getClass().getSimpleName());
    }
  }

  /** CPython's {@code unicode_repr}: the quote, escapes and printable test it uses. */
  private static void reprString(StringBuilder sb, String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    sb.append(quote);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        sb.append('\\').appendCodePoint(cp);
      } else if (cp == '\t') {
        sb.append("\\t");
      } else if (cp == '\n') {
        sb.append("\\n");
      } else if (cp == '\r') {
        sb.append("\\r");
      } else if (cp < 0x20 || cp == 0x7f) {
        sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", cp));
      } else if (cp < 0x7f || printable(cp)) {
        sb.appendCodePoint(cp);
      } else if (cp <= 0xff) {
        sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", cp));
      } else if (cp <= 0xffff) {
        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", cp));
      } else {
        sb.append(String.format(java.util.Locale.ROOT, "\\U%08x", cp));
      }
    }
    sb.append(quote);
  }

  /** Python's {@code str.isprintable()} for one code point (space is printable). */
  static boolean printable(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR ->
          false;
      default -> true;
    };
  }

  /** Python's {@code ==} between two reader values (numbers compare by value, 1 == 1.0 == True). */
  public static boolean pyEquals(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    Double x = number(a);
    Double y = number(b);
    if (x != null && y != null) {
      if (a instanceof Long la && b instanceof Long lb) {
        return la.longValue() == lb.longValue();
      }
      return x.doubleValue() == y.doubleValue();
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) {
        return false;
      }
      for (int i = 0; i < la.size(); i++) {
        if (!pyEquals(la.get(i), lb.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  private static Double number(Object o) {
    return switch (o) {
      case Long l -> (double) l;
      case Integer i -> (double) i;
      case Double d -> d;
      case Boolean b -> b ? 1.0 : 0.0;
      default -> null;
    };
  }

  /** Python's {@code str.strip(chars)} ({@code chars} null: whitespace), on one or both ends. */
  static String strip(String s, String chars, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    while (left && start < end) {
      int cp = s.codePointAt(start);
      if (!stripped(cp, chars)) {
        break;
      }
      start += Character.charCount(cp);
    }
    while (right && end > start) {
      int cp = s.codePointBefore(end);
      if (!stripped(cp, chars)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return s.substring(start, end);
  }

  private static boolean stripped(int cp, String chars) {
    return chars == null ? PythonText.isSpace(cp) : chars.codePoints().anyMatch(c -> c == cp);
  }
}
