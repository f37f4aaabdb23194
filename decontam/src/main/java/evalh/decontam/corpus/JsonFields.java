package evalh.decontam.corpus;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the text and id fields of one JSON Lines record in its UTF-8 bytes, without a parser or a
 * tree: the byte ranges of the text fields' string bodies (escapes left in place) and of the id's
 * value. It accepts only a strict subset of what Jackson accepts, and validates all of it: one JSON
 * object, well-formed values (strings with valid escapes, no raw control characters and strictly
 * valid UTF-8; JSON numbers; literals; nested arrays and objects), whitespace only after it. Keys
 * with escapes, text fields that are neither strings nor null, deep nesting, long numbers or keys,
 * a leading BOM, invalid UTF-8 anywhere: {@link #scan} declines and the caller parses the line with
 * Jackson, which then decides (and counts) exactly as before.
 */
final class JsonFields {
  private static final int MAX_DEPTH = 256;
  private static final int MAX_KEY = 1000;
  private static final int MAX_NUMBER = 100;

  private final byte[][] textFields;
  private final byte[] idField;

  /** Per text field, the body of its (last) string value: {@code [start, end)}; start -1 absent. */
  final int[] textStart;

  final int[] textEnd;

  /** Id: 0 absent or null, 1 a string body (escapes in place), 2 a number or literal as written. */
  int idKind;

  int idStart;
  int idEnd;

  private byte[] b;
  private int len;

  JsonFields(List<String> textFields, String idField) {
    this.textFields = new byte[textFields.size()][];
    for (int i = 0; i < textFields.size(); i++) {
      this.textFields[i] = textFields.get(i).getBytes(StandardCharsets.UTF_8);
    }
    this.idField = idField == null ? null : idField.getBytes(StandardCharsets.UTF_8);
    this.textStart = new int[textFields.size()];
    this.textEnd = new int[textFields.size()];
  }

  /** Scans {@code bytes[0, length)}; false: not in the accepted subset (parse it with Jackson). */
  boolean scan(byte[] bytes, int length) {
    this.b = bytes;
    this.len = length;
    Arrays.fill(textStart, -1);
    idKind = 0;
    int i = ws(0);
    if (i >= len || b[i] != '{') {
      return false;
    }
    i = ws(i + 1);
    if (i < len && b[i] == '}') {
      return ws(i + 1) == len;
    }
    while (true) {
      if (i >= len || b[i] != '"') {
        return false;
      }
      int keyStart = i + 1;
      int keyEnd = plainKeyEnd(keyStart);
      if (keyEnd < 0) {
        return false;
      }
      i = ws(keyEnd + 1);
      if (i >= len || b[i] != ':') {
        return false;
      }
      i = ws(i + 1);
      if (i >= len) {
        return false;
      }
      int field = textField(keyStart, keyEnd);
      int end;
      if (field >= 0) {
        if (b[i] == '"') {
          end = string(i + 1);
          if (end < 0) {
            return false;
          }
          textStart[field] = i + 1;
          textEnd[field] = end - 1;
        } else if (literal(i, "null")) {
          end = i + 4; // a null text field is absent (Jackson path: not counted as a bad type)
        } else {
          return false;
        }
      } else if (idField != null && equal(keyStart, keyEnd, idField)) {
        byte c = b[i];
        if (c == '"') {
          end = string(i + 1);
          if (end < 0) {
            return false;
          }
          idKind = 1;
          idStart = i + 1;
          idEnd = end - 1;
        } else if (literal(i, "null")) {
          end = i + 4;
          idKind = 0;
        } else if (c == '{' || c == '[') {
          end = value(i, 0); // not a scalar: ignored, the id stays as it was
          if (end < 0) {
            return false;
          }
        } else {
          end = value(i, 0);
          if (end < 0) {
            return false;
          }
          idKind = 2;
          idStart = i;
          idEnd = end;
        }
      } else {
        end = value(i, 0);
        if (end < 0) {
          return false;
        }
      }
      i = ws(end);
      if (i >= len) {
        return false;
      }
      if (b[i] == ',') {
        i = ws(i + 1);
      } else if (b[i] == '}') {
        return ws(i + 1) == len;
      } else {
        return false;
      }
    }
  }

  private int textField(int from, int to) {
    for (int f = 0; f < textFields.length; f++) {
      if (equal(from, to, textFields[f])) {
        return f;
      }
    }
    return -1;
  }

  private boolean equal(int from, int to, byte[] name) {
    return Arrays.equals(b, from, to, name, 0, name.length);
  }

  /** JSON whitespace as Jackson skips it: space, tab, CR, LF. */
  private int ws(int i) {
    while (i < len) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        break;
      }
      i++;
    }
    return i;
  }

  /** The closing quote of a key without escapes (validated like a string), or -1. */
  private int plainKeyEnd(int i) {
    int end = string(i);
    if (end < 0 || end - 1 - i > MAX_KEY) {
      return -1;
    }
    for (int k = i; k < end - 1; k++) {
      if (b[k] == '\\') {
        return -1;
      }
    }
    return end - 1;
  }

  /** Bytes a string body holds as they are: printable ASCII other than the quote and backslash. */
  private static final boolean[] PLAIN = new boolean[256];

  static {
    for (int c = 0x20; c < 0x80; c++) {
      PLAIN[c] = c != '"' && c != '\\';
    }
  }

  /** Just past the closing quote of the string whose body starts at {@code i}, or -1. */
  private int string(int i) {
    while (i < len) {
      if (PLAIN[b[i] & 0xff]) {
        i++;
        continue;
      }
      int c = b[i] & 0xff;
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\') {
        if (i + 1 >= len) {
          return -1;
        }
        switch (b[i + 1]) {
          case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> i += 2;
          case 'u' -> {
            if (i + 6 > len) {
              return -1;
            }
            for (int k = i + 2; k < i + 6; k++) {
              if (Character.digit(b[k], 16) < 0) {
                return -1;
              }
            }
            i += 6;
          }
          default -> {
            return -1;
          }
        }
      } else if (c < 0x20) {
        return -1;
      } else if (c < 0x80) {
        i++;
      } else {
        i = utf8(i, c);
        if (i < 0) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** Just past the strictly valid UTF-8 sequence starting with lead byte {@code c} at i, or -1. */
  private int utf8(int i, int c) {
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) {
        lo = 0xA0; // no overlong forms
      } else if (c == 0xED) {
        hi = 0x9F; // no encoded surrogates
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) {
        lo = 0x90;
      } else if (c == 0xF4) {
        hi = 0x8F; // nothing above U+10FFFF
      }
    } else {
      return -1;
    }
    if (i + n >= len) {
      return -1;
    }
    int c1 = b[i + 1] & 0xff;
    if (c1 < lo || c1 > hi) {
      return -1;
    }
    for (int k = 2; k <= n; k++) {
      int ck = b[i + k] & 0xff;
      if (ck < 0x80 || ck > 0xBF) {
        return -1;
      }
    }
    return i + n + 1;
  }

  private boolean literal(int i, String word) {
    if (i + word.length() > len) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if (b[i + k] != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Just past the JSON value starting at {@code i}, or -1. */
  private int value(int i, int depth) {
    if (i >= len) {
      return -1;
    }
    byte c = b[i];
    switch (c) {
      case '"' -> {
        return string(i + 1);
      }
      case '{', '[' -> {
        return container(i, depth + 1);
      }
      case 't' -> {
        return literal(i, "true") ? i + 4 : -1;
      }
      case 'f' -> {
        return literal(i, "false") ? i + 5 : -1;
      }
      case 'n' -> {
        return literal(i, "null") ? i + 4 : -1;
      }
      default -> {
        return number(i);
      }
    }
  }

  private int container(int i, int depth) {
    if (depth > MAX_DEPTH) {
      return -1;
    }
    boolean object = b[i] == '{';
    byte close = object ? (byte) '}' : (byte) ']';
    i = ws(i + 1);
    if (i < len && b[i] == close) {
      return i + 1;
    }
    while (true) {
      if (object) {
        if (i >= len || b[i] != '"') {
          return -1;
        }
        int end = string(i + 1);
        if (end < 0 || end - i > MAX_KEY) {
          return -1;
        }
        i = ws(end);
        if (i >= len || b[i] != ':') {
          return -1;
        }
        i = ws(i + 1);
      }
      i = value(i, depth);
      if (i < 0) {
        return -1;
      }
      i = ws(i);
      if (i >= len) {
        return -1;
      }
      if (b[i] == ',') {
        i = ws(i + 1);
      } else if (b[i] == close) {
        return i + 1;
      } else {
        return -1;
      }
    }
  }

  /** A JSON number: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
  private int number(int i) {
    int start = i;
    if (i < len && b[i] == '-') {
      i++;
    }
    if (i >= len || !digit(b[i])) {
      return -1;
    }
    if (b[i] == '0') {
      i++;
    } else {
      while (i < len && digit(b[i])) {
        i++;
      }
    }
    if (i < len && b[i] == '.') {
      i++;
      if (i >= len || !digit(b[i])) {
        return -1;
      }
      while (i < len && digit(b[i])) {
        i++;
      }
    }
    if (i < len && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < len && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      if (i >= len || !digit(b[i])) {
        return -1;
      }
      while (i < len && digit(b[i])) {
        i++;
      }
    }
    return i - start > MAX_NUMBER ? -1 : i;
  }

  private static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }
}
