package evalh.tasks.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled template of the Jinja subset that lm-eval's task YAML uses, rendered as lm-eval
 * renders it ({@code jinja2.Environment(undefined=StrictUndefined, keep_trailing_newline=True)}):
 * text is copied as written, {@code {{ expression }}} prints Python's {@code str()} of its value.
 *
 * <p>Expressions: a document field ({@code question}), a string ({@code 'a'}, {@code "a"}), integer
 * or float literal, a list literal ({@code [a, b]}), attribute and item access ({@code
 * choices.label}, {@code choices[0]}, {@code s[-1]}), and the methods {@code strip}, {@code
 * lstrip}, {@code rstrip} (Python whitespace, or the given characters) and list {@code index}.
 * Everything else (statements {@code {% %}}, comments, filters, whitespace control, other methods,
 * operators) is refused when the template is compiled, so a task file fails when it is read, not
 * half-way through a run.
 */
public final class Template {
  private final String source;
  private final List<Object> parts; // String literal text or Expr

  private Template(String source, List<Object> parts) {
    this.source = source;
    this.parts = List.copyOf(parts);
  }

  /** Compiles {@code source}; a construct outside the subset is a {@link TemplateException}. */
  public static Template compile(String source) {
    List<Object> parts = new ArrayList<>();
    int i = 0;
    StringBuilder text = new StringBuilder();
    while (i < source.length()) {
      if (source.startsWith("{%", i) || source.startsWith("{#", i)) {
        throw new TemplateException(
            "'"
                + source.substring(i, i + 2)
                + "' at offset "
                + i
                + ": statements and comments are not supported (only {{ expression }})");
      }
      if (source.startsWith("{{", i)) {
        int end = closing(source, i + 2);
        if (text.length() > 0) {
          parts.add(text.toString());
          text.setLength(0);
        }
        String inner = source.substring(i + 2, end);
        if (inner.startsWith("-") || inner.endsWith("-")) {
          throw new TemplateException(
              "whitespace control '{{-'/'-}}' is not supported at offset " + i);
        }
        parts.add(new Parser(inner, i + 2).parseAll());
        i = end + 2;
      } else {
        text.append(source.charAt(i));
        i++;
      }
    }
    if (text.length() > 0) {
      parts.add(text.toString());
    }
    return new Template(source, parts);
  }

  /** The end of the expression opened before {@code from}, skipping string literals. */
  private static int closing(String s, int from) {
    char quote = 0;
    for (int j = from; j < s.length(); j++) {
      char c = s.charAt(j);
      if (quote != 0) {
        if (c == '\\') {
          j++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (s.startsWith("}}", j)) {
        return j;
      }
    }
    throw new TemplateException("'{{' at offset " + (from - 2) + " is not closed by '}}'");
  }

  public String source() {
    return source;
  }

  /** Whether the template is exactly one {@code {{ expression }}} (no text around it). */
  public boolean isSingleExpression() {
    return parts.size() == 1 && parts.get(0) instanceof Expr;
  }

  /** The value of a single-expression template (see {@link #isSingleExpression()}). */
  public Object value(Map<String, Object> doc) {
    if (!isSingleExpression()) {
      throw new IllegalStateException("not a single expression: " + source);
    }
    return ((Expr) parts.get(0)).eval(doc);
  }

  /** Renders the template over the document's fields. */
  public String render(Map<String, Object> doc) {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) {
      if (p instanceof String s) {
        sb.append(s);
      } else {
        sb.append(PyValues.str(((Expr) p).eval(doc)));
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return source;
  }

  // ---------------------------------------------------------------------------------------------

  /** An expression node. */
  private sealed interface Expr {
    Object eval(Map<String, Object> doc);
  }

  private record Name(String name) implements Expr {
    @Override
    public Object eval(Map<String, Object> doc) {
      if (!doc.containsKey(name)) {
        throw new TemplateException("'" + name + "' is undefined (fields: " + doc.keySet() + ")");
      }
      return doc.get(name);
    }
  }

  private record Literal(Object value) implements Expr {
    @Override
    public Object eval(Map<String, Object> doc) {
      return value;
    }
  }

  private record ListLiteral(List<Expr> items) implements Expr {
    @Override
    public Object eval(Map<String, Object> doc) {
      List<Object> out = new ArrayList<>(items.size());
      for (Expr e : items) {
        out.add(e.eval(doc));
      }
      return java.util.Collections.unmodifiableList(out);
    }
  }

  /** {@code obj.name}: Jinja's getattr, which for the reader's maps is the item {@code name}. */
  private record Attr(Expr obj, String name) implements Expr {
    @Override
    public Object eval(Map<String, Object> doc) {
      Object o = obj.eval(doc);
      if (o instanceof Map<?, ?> m && m.containsKey(name)) {
        return m.get(name);
      }
      throw new TemplateException(
          "'" + typeName(o) + "' value " + clip(o) + " has no attribute '" + name + "'");
    }
  }

  private record Item(Expr obj, Expr key) implements Expr {
    @Override
    public Object eval(Map<String, Object> doc) {
      Object o = obj.eval(doc);
      Object k = key.eval(doc);
      if (o instanceof Map<?, ?> m) {
        if (k instanceof String s && m.containsKey(s)) {
          return m.get(s);
        }
      } else if (k instanceof Long idx) {
        if (o instanceof List<?> l) {
          int n = l.size();
          long j = idx < 0 ? idx + n : idx;
          if (j >= 0 && j < n) {
            return l.get((int) j);
          }
        } else if (o instanceof String s) {
          int n = s.codePointCount(0, s.length());
          long j = idx < 0 ? idx + n : idx;
          if (j >= 0 && j < n) {
            int at = s.offsetByCodePoints(0, (int) j);
            return new String(Character.toChars(s.codePointAt(at)));
          }
        }
      }
      throw new TemplateException(
          "'" + typeName(o) + "' value " + clip(o) + " has no item " + PyValues.repr(k));
    }
  }

  private record Call(Expr obj, String method, List<Expr> args) implements Expr {
    @Override
    public Object eval(Map<String, Object> doc) {
      Object o = obj.eval(doc);
      List<Object> a = new ArrayList<>();
      for (Expr e : args) {
        a.add(e.eval(doc));
      }
      switch (method) {
        case "strip", "lstrip", "rstrip" -> {
          if (!(o instanceof String s)) {
            throw new TemplateException(
                "." + method + "() needs a string, got '" + typeName(o) + "' " + clip(o));
          }
          String chars = null;
          if (a.size() == 1 && a.get(0) != null) {
            if (!(a.get(0) instanceof String c)) {
              throw new TemplateException("." + method + "(chars): chars must be a string");
            }
            chars = c;
          }
          return PyValues.strip(s, chars, !method.equals("rstrip"), !method.equals("lstrip"));
        }
        case "index" -> {
          if (!(o instanceof List<?> l)) {
            throw new TemplateException(
                ".index() is supported on lists, got '" + typeName(o) + "' " + clip(o));
          }
          for (int i = 0; i < l.size(); i++) {
            if (PyValues.pyEquals(l.get(i), a.get(0))) {
              return (long) i;
            }
          }
          throw new TemplateException(PyValues.repr(a.get(0)) + " is not in list " + clip(o));
        }
        default -> throw new IllegalStateException(method);
      }
    }
  }

  private static String typeName(Object o) {
    return switch (o) {
      case null -> "NoneType";
      case String s -> "str";
      case Long l -> "int";
      case Double d -> "float";
      case Boolean b -> "bool";
      case List<?> l -> "list";
      case Map<?, ?> m -> "dict";
      default -> o.getClass().getSimpleName();
    };
  }

  private static String clip(Object o) {
    String r = PyValues.repr(o);
    return r.length() > 80 ? r.substring(0, 77) + "..." : r;
  }

  // ---------------------------------------------------------------------------------------------

  /** An integer or float literal (Jinja's, without digit separators). */
  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  /** Recursive-descent parser of one expression. */
  private static final class Parser {
    private final String s;
    private final int base;
    private int pos;

    Parser(String s, int base) {
      this.s = s;
      this.base = base;
    }

    Expr parseAll() {
      Expr e = expr();
      skipSpace();
      if (pos < s.length()) {
        throw error("unsupported '" + s.substring(pos).strip() + "'");
      }
      return e;
    }

    private Expr expr() {
      Expr e = primary();
      while (true) {
        skipSpace();
        if (peek('.')) {
          pos++;
          skipSpace();
          String name = identifier();
          skipSpace();
          if (peek('(')) {
            pos++;
            List<Expr> args = arguments(')');
            e = call(e, name, args);
          } else {
            e = new Attr(e, name);
          }
        } else if (peek('[')) {
          pos++;
          Expr k = expr();
          skipSpace();
          expect(']');
          e = new Item(e, k);
        } else if (peek('(')) {
          throw error("calling a value is not supported");
        } else {
          return e;
        }
      }
    }

    private Expr call(Expr obj, String name, List<Expr> args) {
      switch (name) {
        case "strip", "lstrip", "rstrip" -> {
          if (args.size() > 1) {
            throw error("." + name + "() takes at most one argument");
          }
        }
        case "index" -> {
          if (args.size() != 1) {
            throw error(".index() takes exactly one argument");
          }
        }
        default ->
            throw error(
                "method '."
                    + name
                    + "()' is not supported (supported: strip, lstrip, rstrip, index)");
      }
      return new Call(obj, name, args);
    }

    private Expr primary() {
      skipSpace();
      if (pos >= s.length()) {
        throw error("expected an expression");
      }
      char c = s.charAt(pos);
      if (c == '[') {
        pos++;
        return new ListLiteral(arguments(']'));
      }
      if (c == '\'' || c == '"') {
        return new Literal(string(c));
      }
      if (c == '-' || Character.isDigit(c)) {
        java.util.regex.Matcher m = NUMBER.matcher(s).region(pos, s.length());
        if (!m.lookingAt()) {
          throw error("bad number");
        }
        String lit = m.group();
        pos = m.end();
        try {
          return new Literal(
              m.group(1) == null && m.group(2) == null
                  ? (Object) Long.parseLong(lit)
                  : (Object) Double.parseDouble(lit));
        } catch (NumberFormatException e) {
          throw error("bad number '" + lit + "'");
        }
      }
      if (c == '(') {
        throw error("parentheses are not supported");
      }
      String name = identifier();
      return switch (name) {
        case "None", "none" -> new Literal(null);
        case "True", "true" -> new Literal(Boolean.TRUE);
        case "False", "false" -> new Literal(Boolean.FALSE);
        default -> new Name(name);
      };
    }

    private List<Expr> arguments(char close) {
      List<Expr> items = new ArrayList<>();
      skipSpace();
      if (peek(close)) {
        pos++;
        return items;
      }
      while (true) {
        items.add(expr());
        skipSpace();
        if (peek(',')) {
          pos++;
          skipSpace();
          if (peek(close)) {
            pos++;
            return items;
          }
        } else {
          expect(close);
          return items;
        }
      }
    }

    private String string(char quote) {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == quote) {
          return sb.toString();
        }
        if (c == '\\' && pos < s.length()) {
          char e = s.charAt(pos++);
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case '\\', '\'', '"' -> sb.append(e);
            default -> throw error("string escape '\\" + e + "' is not supported");
          }
        } else {
          sb.append(c);
        }
      }
      throw error("unterminated string");
    }

    private String identifier() {
      int start = pos;
      while (pos < s.length()
          && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos || Character.isDigit(s.charAt(start))) {
        throw error(
            pos < s.length()
                ? "unsupported '" + s.charAt(pos) + "'"
                : "expected a name at the end");
      }
      return s.substring(start, pos);
    }

    private boolean peek(char c) {
      return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c) {
      skipSpace();
      if (!peek(c)) {
        throw error(
            "expected '" + c + "'" + (pos < s.length() ? " at '" + s.substring(pos) + "'" : ""));
      }
      pos++;
    }

    private void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private TemplateException error(String what) {
      return new TemplateException(
          what
              + " in '{{"
              + s
              + "}}' (offset "
              + (base + pos)
              + "; supported: fields, 'strings',"
              + " numbers, [lists], .attr, [index], .strip() .lstrip() .rstrip() .index(x))");
    }
  }
}
