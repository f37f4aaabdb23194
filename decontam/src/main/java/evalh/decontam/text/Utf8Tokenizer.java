package evalh.decontam.text;

import evalh.core.text.PythonText;

/**
 * The corpus-side fast path of {@link JanitorNormalizer}: the token hashes of a JSON string's
 * content, read straight from its UTF-8 bytes with its escapes decoded on the fly, without building
 * a Java String. It gives exactly the hashes {@link JanitorNormalizer} and {@link
 * NgramHasher#tokenHash} give on the decoded string (a differential test holds it to that):
 *
 * <ul>
 *   <li>ASCII bytes go through one 256-entry class table (keep, lower-case, delete as {@code
 *       string.punctuation}, Python whitespace) and feed FNV-1a directly (an ASCII byte is its
 *       UTF-16 code unit);
 *   <li>escapes and multi-byte sequences are decoded into UTF-16 code units (a supplementary code
 *       point into its surrogate pair, as Java and Jackson do) and take the slow path: Python
 *       whitespace ({@link PythonText#isSpace}) ends a token, any other non-ASCII unit is kept.
 * </ul>
 *
 * <p>{@code unicode/1} equals {@code janitor/1} on ASCII text only: with it, the first non-ASCII
 * unit makes {@link #tokenize} decline (return -1), and the caller decodes the string and runs
 * {@link UnicodeNormalizer}.
 *
 * <p>The input must be a well-formed JSON string body: valid escapes, strictly valid UTF-8 (no
 * overlong forms, no encoded surrogates), no raw control characters. The corpus reader checks that
 * before calling, and falls back to Jackson for anything else.
 */
public final class Utf8Tokenizer {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final byte KEEP = 0;
  private static final byte SPACE = 1;
  private static final byte DELETE = 2;
  private static final byte OTHER = 3;

  /** Per byte: KEEP (ASCII, value in LOWER), SPACE, DELETE, OTHER (backslash, non-ASCII). */
  private static final byte[] CLASS = new byte[256];

  private static final char[] LOWER = new char[128];

  static {
    String punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    for (int b = 0; b < 256; b++) {
      if (b >= 128 || b == '\\') { // non-ASCII lead or continuation byte; a JSON escape
        CLASS[b] = OTHER;
        if (b >= 128) {
          continue;
        }
      }
      LOWER[b] = (char) (b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
      if (b == '\\') {
        continue;
      }
      if (PythonText.isSpace(b)) {
        CLASS[b] = SPACE;
      } else if (punctuation.indexOf(b) >= 0) {
        CLASS[b] = DELETE;
      } else {
        CLASS[b] = KEEP;
      }
    }
  }

  private final boolean asciiOnly;

  /**
   * @param normalization {@code janitor/1} tokenizes everything; {@code unicode/1} only ASCII
   */
  public Utf8Tokenizer(Normalization normalization) {
    this.asciiOnly = normalization != Normalization.JANITOR;
  }

  /**
   * Appends the token hashes of the JSON string body {@code b[from, to)} (between its quotes) to
   * {@code out}.
   *
   * @return the decoded string's length in UTF-16 code units, or -1 when this normalisation needs
   *     the slow path ({@code unicode/1} on non-ASCII text; {@code out} is then left partly filled)
   */
  public long tokenize(byte[] b, int from, int to, TokenHashes out) {
    long h = FNV_OFFSET;
    int len = 0;
    long units = to - from; // corrected below for escapes and multi-byte sequences
    int i = from;
    while (i < to) {
      int x = b[i++] & 0xff;
      byte cls = CLASS[x];
      if (cls == KEEP) {
        h = (h ^ LOWER[x]) * FNV_PRIME;
        len++;
        continue;
      }
      if (cls == DELETE) {
        continue;
      }
      if (cls == SPACE) {
        if (len > 0) {
          out.add(NgramHasher.fmix64(h));
          h = FNV_OFFSET;
          len = 0;
        }
        continue;
      }
      int u; // one UTF-16 code unit to classify
      if (x == '\\') {
        int e = b[i++];
        switch (e) {
          case 'n' -> u = '\n';
          case 't' -> u = '\t';
          case 'r' -> u = '\r';
          case 'b' -> u = '\b';
          case 'f' -> u = '\f';
          case 'u' -> {
            u = (hex(b[i]) << 12) | (hex(b[i + 1]) << 8) | (hex(b[i + 2]) << 4) | hex(b[i + 3]);
            i += 4;
            units -= 4;
          }
          default -> u = e; // \" \\ \/
        }
        units -= 1;
      } else if (x < 0xE0) {
        u = ((x & 0x1F) << 6) | (b[i++] & 0x3F);
        units -= 1;
      } else if (x < 0xF0) {
        u = ((x & 0x0F) << 12) | ((b[i] & 0x3F) << 6) | (b[i + 1] & 0x3F);
        i += 2;
        units -= 2;
      } else {
        int cp = ((x & 0x07) << 18) | ((b[i] & 0x3F) << 12) | ((b[i + 1] & 0x3F) << 6);
        cp |= b[i + 2] & 0x3F;
        i += 3;
        units -= 2;
        if (asciiOnly) {
          return -1;
        }
        // a surrogate pair: neither unit is whitespace or ASCII punctuation
        h = (h ^ Character.highSurrogate(cp)) * FNV_PRIME;
        h = (h ^ Character.lowSurrogate(cp)) * FNV_PRIME;
        len += 2;
        continue;
      }
      if (u < 128) {
        byte c = u == '\\' ? DELETE : CLASS[u];
        if (c == KEEP) {
          h = (h ^ LOWER[u]) * FNV_PRIME;
          len++;
        } else if (c == SPACE && len > 0) {
          out.add(NgramHasher.fmix64(h));
          h = FNV_OFFSET;
          len = 0;
        }
        continue;
      }
      if (asciiOnly) {
        return -1;
      }
      if (PythonText.isSpace(u)) {
        if (len > 0) {
          out.add(NgramHasher.fmix64(h));
          h = FNV_OFFSET;
          len = 0;
        }
      } else {
        h = (h ^ u) * FNV_PRIME;
        len++;
      }
    }
    if (len > 0) {
      out.add(NgramHasher.fmix64(h));
    }
    return units;
  }

  private static int hex(byte c) {
    return Character.digit(c, 16);
  }
}
