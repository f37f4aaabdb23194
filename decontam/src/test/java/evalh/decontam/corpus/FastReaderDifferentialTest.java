package evalh.decontam.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.text.Normalization;
import evalh.decontam.text.TextNormalizer;
import evalh.decontam.text.TokenBuffer;
import evalh.decontam.text.TokenHashes;
import evalh.decontam.text.Utf8Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast token pass ({@link JsonlCorpusReader#readTokens}: {@link JsonFields} + {@link
 * Utf8Tokenizer}) against the String path it replaces, kept as the oracle: Jackson's parse ({@link
 * JsonlCorpusReader#read}) and the normalisers ({@code JanitorNormalizer}, {@code
 * UnicodeNormalizer}) on the decoded text. Random and adversarial lines: every Python whitespace
 * character and its look-alikes, punctuation, escapes, surrogates (paired and lone), every kind of
 * invalid UTF-8, malformed JSON, odd ids, several text fields. Documents (position, offset, id,
 * token hashes) and every per-file count must be identical.
 */
class FastReaderDifferentialTest {
  @TempDir Path dir;

  /** Characters chosen for the normalisers' edge cases. */
  private static final String[] PIECES = {
    "a",
    "Z",
    "q",
    "The",
    "don't",
    "x",
    "7",
    "0",
    "(x)!",
    "--",
    "...",
    "\"",
    "\\",
    "/",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "'",
    "`",
    "~",
    "_",
    "@",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\u000b",
    "\f",
    "\u001c",
    "\u001d",
    "\u001e",
    "\u001f",
    "\u0085",
    "\u00a0",
    "\u1680",
    "\u2000",
    "\u2005",
    "\u200a",
    "\u200b",
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
    "\u180e",
    "\ufeff",
    "\u0000",
    "\u0001",
    "\u007f",
    "é",
    "É",
    "ß",
    "Über",
    "İ",
    "ﬁ",
    "Ω",
    "ς",
    "中文",
    "ｆｕｌｌ",
    "①",
    "⑴",
    "«",
    "»",
    "—",
    "€",
    "½",
    "\u0301",
    "😀",
    "𝔘",
    "\ud83d",
    "\ude00",
    "x\u00adx"
  };

  private static String randomText(SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    int k = r.nextInt(0, 40);
    for (int i = 0; i < k; i++) {
      if (r.nextInt(3) == 0) {
        sb.append(PIECES[r.nextInt(PIECES.length)]);
      } else {
        int len = r.nextInt(1, 9);
        for (int j = 0; j < len; j++) {
          sb.append((char) r.nextInt(0x20, 0x7f));
        }
        sb.append(' ');
      }
    }
    return sb.toString();
  }

  /**
   * A JSON string literal of {@code s}: control characters and lone surrogates always escaped,
   * other characters escaped at random (all forms Jackson reads), the rest raw UTF-8.
   */
  private static void jsonString(String s, SplittableRandom r, ByteArrayOutputStream out) {
    out.write('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
      if (c == '"' || c == '\\' || c < 0x20 || (Character.isSurrogate(c) && !pair)) {
        escape(c, r, out);
      } else if (r.nextInt(8) == 0) {
        escape(c, r, out);
      } else if (pair) {
        out.writeBytes(s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    out.write('"');
  }

  private static void escape(char c, SplittableRandom r, ByteArrayOutputStream out) {
    String e =
        switch (c) {
          case '"' -> "\\\"";
          case '\\' -> "\\\\";
          case '\n' -> "\\n";
          case '\t' -> "\\t";
          case '\r' -> "\\r";
          case '\b' -> "\\b";
          case '\f' -> "\\f";
          case '/' -> r.nextBoolean() ? "\\/" : null;
          default -> null;
        };
    if (e == null || r.nextInt(4) == 0 && c != '"' && c != '\\' && c >= 0x20) {
      e = String.format(Locale.ROOT, r.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c);
    }
    out.writeBytes(e.getBytes(StandardCharsets.US_ASCII));
  }

  private static final String[] BAD_BYTES = {
    "\u00ff",
    "\u00c0\u0080",
    "\u00e0\u0080\u0080",
    "\u00ed\u00a0\u0080",
    "\u00f5\u0080\u0080\u0080",
    "\u00f4\u0090\u0080\u0080",
    "\u00c3",
    "\u00e2\u0082",
    "\u0080",
    "\u00bf",
    "\u00f0\u009f\u0098"
  };

  private static final String[] VALUES = {
    "1", "-0", "0.5", "1e5", "-1.25E-3", "true", "false", "null", "[]", "{}", "[1,[2,{\"a\":[]}]]",
    "{\"t\":\"x\",\"n\":null}", "\"s\"", "01", "1.", "+1", "-", "1e", ".5", "tru", "nul", "NaN",
    "[1,]", "{\"a\"}", "\"unterminated", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]",
        "12345678901234567890"
  };

  /** One JSONL line (no newline) built to hit both paths' edge cases. */
  private static byte[] randomLine(SplittableRandom r, List<String> textFields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int kind = r.nextInt(40);
    if (kind == 0) {
      return new byte[0];
    }
    if (kind == 1) {
      return "  \t ".getBytes(StandardCharsets.US_ASCII);
    }
    if (kind == 2) {
      return "not json".getBytes(StandardCharsets.US_ASCII);
    }
    if (kind == 3) {
      out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    }
    if (r.nextInt(5) == 0) {
      out.writeBytes(" \t".getBytes(StandardCharsets.US_ASCII));
    }
    out.write('{');
    List<String> keys = new ArrayList<>(textFields);
    keys.add("id");
    keys.add("meta");
    keys.add("url");
    if (r.nextInt(6) == 0) {
      keys.add(textFields.get(0)); // a duplicate
    }
    if (r.nextInt(6) == 0) {
      keys.add("id");
    }
    int fields = r.nextInt(0, keys.size() + 1);
    for (int f = 0; f < fields; f++) {
      String key = keys.get(r.nextInt(keys.size()));
      if (f > 0) {
        out.write(',');
      }
      if (r.nextInt(10) == 0) {
        out.writeBytes(" \r\n\t".substring(0, r.nextInt(5)).getBytes(StandardCharsets.US_ASCII));
      }
      if (r.nextInt(30) == 0) {
        // an escaped key: "te\u0078t" is the key "text" to Jackson
        String k = key.substring(0, key.length() - 1);
        out.writeBytes(
            ("\"" + k + String.format(Locale.ROOT, "\\u%04x", (int) key.charAt(key.length() - 1)))
                .getBytes(StandardCharsets.US_ASCII));
        out.write('"');
      } else {
        jsonString(key, r, out);
      }
      out.writeBytes((r.nextInt(8) == 0 ? " : " : ":").getBytes(StandardCharsets.US_ASCII));
      int v = r.nextInt(20);
      if (v < 12) {
        jsonString(randomText(r), r, out);
      } else if (v < 18) {
        out.writeBytes(VALUES[r.nextInt(VALUES.length)].getBytes(StandardCharsets.UTF_8));
      } else {
        out.writeBytes("\"".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(
            BAD_BYTES[r.nextInt(BAD_BYTES.length)].getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes("x y\"".getBytes(StandardCharsets.US_ASCII));
      }
    }
    if (r.nextInt(25) == 0) {
      out.write(',');
    }
    out.write('}');
    int tail = r.nextInt(30);
    if (tail == 0) {
      out.writeBytes(" x".getBytes(StandardCharsets.US_ASCII));
    } else if (tail == 1) {
      out.writeBytes(" \t\r".getBytes(StandardCharsets.US_ASCII));
    } else if (tail == 2) {
      out.writeBytes("{}".getBytes(StandardCharsets.US_ASCII));
    }
    byte[] b = out.toByteArray();
    if (r.nextInt(40) == 0 && b.length > 2) {
      b[r.nextInt(b.length)] = (byte) r.nextInt(256); // a random byte anywhere
    }
    return b;
  }

  /** What a reader delivered: one string per document, and the file's counts. */
  private record Seen(List<String> docs, FileStats stats) {}

  private static String docString(long pos, long off, String id, long[] hashes, int n) {
    return pos + "|" + off + "|" + id + "|" + Arrays.toString(Arrays.copyOf(hashes, n));
  }

  private static Seen oracle(Path file, List<String> fields, Normalization norm)
      throws IOException {
    TextNormalizer normalizer = norm.newNormalizer();
    TokenBuffer buf = new TokenBuffer();
    List<String> docs = new ArrayList<>();
    FileStats stats = new FileStats();
    new JsonlCorpusReader(fields, "id")
        .read(
            file,
            (CorpusDoc d) -> {
              normalizer.tokenize(d.text(), buf);
              stats.tokens += buf.size();
              docs.add(docString(d.position(), d.byteOffset(), d.id(), buf.hashes(), buf.size()));
              return true;
            },
            stats);
    return new Seen(docs, stats);
  }

  private static Seen fast(Path file, List<String> fields, Normalization norm) throws IOException {
    List<String> docs = new ArrayList<>();
    FileStats stats = new FileStats();
    new JsonlCorpusReader(fields, "id")
        .readTokens(
            CorpusFile.local(file),
            norm,
            d -> {
              TokenHashes t = d.tokens();
              docs.add(docString(d.position(), d.byteOffset(), d.id(), t.array(), t.size()));
              // the lazily decoded document is the one read() delivers
              CorpusDoc full = d.doc();
              assertThat(full.position()).isEqualTo(d.position());
              assertThat(full.id()).isEqualTo(d.id());
              return true;
            },
            stats);
    return new Seen(docs, stats);
  }

  private static String counts(FileStats s) {
    return String.join(
        " ",
        "records=" + s.records,
        "docs=" + s.docs,
        "chars=" + s.textChars,
        "tokens=" + s.tokens,
        "malformed=" + s.malformed,
        "missing=" + s.missingText,
        "empty=" + s.emptyText,
        "utf8=" + s.invalidUtf8,
        "blank=" + s.blankLines,
        "truncated=" + s.truncated,
        "first_error=" + s.firstError);
  }

  private void compare(List<byte[]> lines, List<String> fields) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] l : lines) {
      all.writeBytes(l);
      all.write('\n');
    }
    Path file = dir.resolve("c.jsonl");
    Files.write(file, all.toByteArray());
    for (Normalization norm : Normalization.values()) {
      Seen want = oracle(file, fields, norm);
      Seen got = fast(file, fields, norm);
      for (int i = 0; i < Math.min(want.docs.size(), got.docs.size()); i++) {
        assertThat(got.docs.get(i)).as("%s document %d", norm, i).isEqualTo(want.docs.get(i));
      }
      assertThat(got.docs).as("%s documents", norm).hasSameSizeAs(want.docs);
      assertThat(counts(got.stats)).as("%s counts", norm).isEqualTo(counts(want.stats));
    }
  }

  @Test
  void randomAndAdversarialLinesGiveTheStringPathsDocumentsAndCounts() throws IOException {
    SplittableRandom r = new SplittableRandom(20261207);
    for (List<String> fields : List.of(List.of("text"), List.of("title", "text"))) {
      List<byte[]> lines = new ArrayList<>();
      for (int i = 0; i < 6000; i++) {
        lines.add(randomLine(r, fields));
      }
      compare(lines, fields);
    }
  }

  @Test
  void everyLineTakesTheFastPathOnPlainCorpora() throws IOException {
    // the bench corpus' shape: the fast path must not silently fall back on ordinary records
    SplittableRandom r = new SplittableRandom(3);
    List<byte[]> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(("{\"id\":\"d" + i + "\",\"text\":").getBytes(StandardCharsets.UTF_8));
      jsonString(randomText(r), r, out);
      out.writeBytes(",\"n\":[1,2.5,{\"k\":null}]}".getBytes(StandardCharsets.UTF_8));
      lines.add(out.toByteArray());
    }
    JsonFields f = new JsonFields(List.of("text"), "id");
    for (byte[] l : lines) {
      assertThat(f.scan(l, l.length)).as(new String(l, StandardCharsets.UTF_8)).isTrue();
    }
    compare(lines, List.of("text"));
  }

  @Test
  void newlineSearchEightBytesAStepFindsTheFirstNewline() {
    SplittableRandom r = new SplittableRandom(17);
    for (int t = 0; t < 20000; t++) {
      byte[] b = new byte[r.nextInt(0, 40)];
      for (int i = 0; i < b.length; i++) {
        int k = r.nextInt(10);
        b[i] =
            k == 0
                ? (byte) '\n'
                : k == 1 ? (byte) ('\n' + 0x80) : k == 2 ? 0 : (byte) r.nextInt(256);
      }
      int from = b.length == 0 ? 0 : r.nextInt(b.length + 1);
      int to = from + r.nextInt(b.length - from + 1);
      int want = from;
      while (want < to && b[want] != '\n') {
        want++;
      }
      assertThat(JsonlCorpusReader.LineSplitter.newline(b, from, to)).isEqualTo(want);
    }
  }

  @Test
  void tokenizerEqualsTheNormalisersOnEscapedAndRawStrings() {
    SplittableRandom r = new SplittableRandom(11);
    for (Normalization norm : Normalization.values()) {
      TextNormalizer normalizer = norm.newNormalizer();
      Utf8Tokenizer tok = new Utf8Tokenizer(norm);
      TokenBuffer buf = new TokenBuffer();
      TokenHashes got = new TokenHashes();
      int fast = 0;
      for (int i = 0; i < 20000; i++) {
        String s = randomText(r);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        jsonString(s, r, out);
        byte[] b = out.toByteArray();
        got.clear();
        long units = tok.tokenize(b, 1, b.length - 1, got);
        if (units < 0) {
          assertThat(norm).isEqualTo(Normalization.UNICODE);
          assertThat(s.chars().anyMatch(c -> c >= 128)).isTrue();
          continue;
        }
        fast++;
        normalizer.tokenize(s, buf);
        assertThat(units).isEqualTo(s.length());
        assertThat(Arrays.copyOf(got.array(), got.size()))
            .as("%s %s", norm, s)
            .containsExactly(Arrays.copyOf(buf.hashes(), buf.size()));
      }
      assertThat(fast).isGreaterThan(1000);
    }
  }
}
