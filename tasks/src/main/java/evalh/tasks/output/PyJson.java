package evalh.tasks.output;

import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(obj, indent=2, ensure_ascii=False)}, which lm-eval hashes for {@code
 * doc_hash}. Supports maps (insertion order), lists, strings, integers, doubles, booleans, null.
 */
public final class PyJson {
  private PyJson() {}

  public static String dumpsIndent2(Object o) {
    StringBuilder sb = new StringBuilder();
    write(sb, o, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object o, int level) {
    switch (o) {
      case null -> sb.append("null");
      case String s -> string(sb, s);
      case Boolean b -> sb.append(b ? "true" : "false");
      case Integer i -> sb.append(i);
      case Long l -> sb.append(l);
      case Double d -> sb.append(doubleRepr(d));
      case Float f -> sb.append(doubleRepr(f.doubleValue()));
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          sb.append("{}");
          return;
        }
        sb.append("{");
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          sb.append(first ? "" : ",").append('\n').append("  ".repeat(level + 1));
          first = false;
          string(sb, String.valueOf(e.getKey()));
          sb.append(": ");
          write(sb, e.getValue(), level + 1);
        }
        sb.append('\n').append("  ".repeat(level)).append('}');
      }
      case List<?> l -> {
        if (l.isEmpty()) {
          sb.append("[]");
          return;
        }
        sb.append("[");
        boolean first = true;
        for (Object x : l) {
          sb.append(first ? "" : ",").append('\n').append("  ".repeat(level + 1));
          first = false;
          write(sb, x, level + 1);
        }
        sb.append('\n').append("  ".repeat(level)).append(']');
      }
      default -> string(sb, o.toString());
    }
  }

  private static String doubleRepr(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    return PyRepr.floatRepr(d);
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
