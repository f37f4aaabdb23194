package evalh.decontam.corpus;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.github.luben.zstd.ZstdInputStream;
import evalh.decontam.text.Normalization;
import evalh.decontam.text.TextNormalizer;
import evalh.decontam.text.TokenBuffer;
import evalh.decontam.text.Utf8Tokenizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * JSON Lines corpora (one JSON object per line), plain, gzip ({@code .gz}) or zstd ({@code .zst},
 * {@code .zstd}). The text is the value of the configured text field(s) (several present fields are
 * joined by a newline); the id field is optional. Malformed lines, missing fields and invalid UTF-8
 * are counted; a truncated or corrupt compressed stream ends the file with everything read so far
 * kept.
 */
public final class JsonlCorpusReader implements CorpusReader {
  /**
   * The longest line (one document) read, in bytes: 64 MiB. Jackson's default string limit (20 M
   * characters) would count a valid longer document as malformed; this cap keeps the memory of one
   * reader thread bounded (about 6 bytes per character at the peak: line bytes, parser buffer and
   * string), and a longer line is an error naming file and line, never a silent skip.
   */
  public static final int MAX_DOCUMENT_BYTES = 64 << 20;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(MAX_DOCUMENT_BYTES).build())
          .build();
  private final List<String> textFields;
  private final String idField;

  public JsonlCorpusReader(List<String> textFields, String idField) {
    if (textFields.isEmpty()) {
      throw new IllegalArgumentException("at least one text field is required");
    }
    this.textFields = List.copyOf(textFields);
    this.idField = idField;
  }

  /** Whether the stream is compressed (so byte offsets into the file are meaningless). */
  /** Whether a file of this name is compressed. */
  public static boolean isCompressed(String name) {
    return name.endsWith(".gz") || name.endsWith(".zst") || name.endsWith(".zstd");
  }

  /** Opens the decompressed byte stream of a JSONL file. */
  /** Opens the decompressed byte stream of a JSONL corpus file. */
  public static InputStream open(CorpusFile file) throws IOException {
    return decompress(file.open(), file.name());
  }

  /** Wraps {@code raw} in the decompressor the file name asks for (closing it on failure). */
  private static InputStream decompress(InputStream raw, String name) throws IOException {
    try {
      if (name.endsWith(".gz")) {
        return new GZIPInputStream(raw, 1 << 16);
      }
      if (name.endsWith(".zst") || name.endsWith(".zstd")) {
        return new ZstdInputStream(new BufferedInputStream(raw, 1 << 16));
      }
      return raw;
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  @Override
  public void read(CorpusFile file, DocConsumer sink, FileStats stats) throws IOException {
    boolean offsets = !isCompressed(file.name());
    // a file that cannot be opened is an error, not bad content
    CountingStream raw = new CountingStream(file.open());
    InputStream in;
    try {
      in = decompress(raw, file.name());
    } catch (IOException e) {
      truncated(file, stats, raw, "cannot decompress: " + e.getMessage());
      return;
    }
    try (InputStream s = in) {
      LineSplitter lines = new LineSplitter(s);
      try {
        while (lines.next()) {
          stats.records++;
          if (!parse(lines, offsets, sink, stats)) {
            return;
          }
        }
      } catch (SinkFailure f) {
        throw f.getCause();
      } catch (LineTooLong e) {
        throw tooLong(file, stats.records + 1);
      } catch (IOException e) {
        truncated(
            file,
            stats,
            raw,
            "stream ended abnormally after line " + stats.records + ": " + e.getMessage());
      }
    }
  }

  /** Records where reading {@code file} broke off: the problem and the byte offset reached. */
  private static void truncated(CorpusFile file, FileStats stats, CountingStream raw, String what) {
    long size;
    try {
      size = file.size();
    } catch (IOException e) {
      size = -1;
    }
    stats.truncatedAtByte = raw.count;
    stats.truncated =
        what + " (at byte " + raw.count + (size >= 0 ? " of " + size : "") + " of the file)";
  }

  /** Counts the bytes read from the file (before decompression). */
  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long k = super.skip(n);
      count += k;
      return k;
    }
  }

  /**
   * Reads only the given lines (1-based, ascending) of {@code file}: an uncompressed file is read
   * by seeking to the recorded byte offsets (when all are known), otherwise the stream is scanned
   * and only the wanted lines are parsed. Lines that no longer parse are skipped.
   */
  public void readLines(CorpusFile file, long[] lines, long[] offsets, DocConsumer sink)
      throws IOException {
    FileStats ignored = new FileStats();
    boolean seek =
        file.localPath() != null
            && !isCompressed(file.name())
            && java.util.Arrays.stream(offsets).allMatch(o -> o >= 0);
    if (seek) {
      try (java.nio.channels.FileChannel ch =
          java.nio.channels.FileChannel.open(file.localPath())) {
        for (int i = 0; i < lines.length; i++) {
          ch.position(offsets[i]);
          LineSplitter ls = new LineSplitter(java.nio.channels.Channels.newInputStream(ch));
          if (ls.next()) {
            ignored.records = lines[i];
            if (!parse(ls, false, sink, ignored)) {
              return;
            }
          }
        }
      } catch (SinkFailure f) {
        throw f.getCause();
      }
      return;
    }
    try (InputStream s = open(file)) {
      LineSplitter ls = new LineSplitter(s);
      int k = 0;
      long lineNo = 0;
      while (k < lines.length && ls.next()) {
        lineNo++;
        if (lineNo == lines[k]) {
          ignored.records = lineNo;
          if (!parse(ls, false, sink, ignored)) {
            return;
          }
          while (k < lines.length && lines[k] <= lineNo) {
            k++;
          }
        }
      }
    } catch (SinkFailure f) {
      throw f.getCause();
    } catch (IOException e) {
      // truncated stream: the lines before the damage were delivered
    }
  }

  private static IOException tooLong(CorpusFile file, long lineNo) {
    return new IOException(
        file.name()
            + " line "
            + lineNo
            + ": a document longer than "
            + (MAX_DOCUMENT_BYTES >> 20)
            + " MiB, the most evalh reads as one document (to bound memory); split it into"
            + " several lines");
  }

  /** A line past {@link #MAX_DOCUMENT_BYTES}. */
  static final class LineTooLong extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LineTooLong() {
      super("a line longer than " + (MAX_DOCUMENT_BYTES >> 20) + " MiB", null, false, false);
    }
  }

  private boolean parse(LineSplitter line, boolean offsets, DocConsumer sink, FileStats stats) {
    if (line.isBlank()) {
      stats.blankLines++;
      return true;
    }
    CorpusDoc d = parseDoc(line, offsets, stats);
    try {
      return d == null || sink.accept(d);
    } catch (IOException e) {
      throw new SinkFailure(e);
    }
  }

  /** The document of a non-blank line, or null (the reason counted in {@code stats}). */
  private CorpusDoc parseDoc(LineSplitter line, boolean offsets, FileStats stats) {
    long lineNo = stats.records;
    Record r;
    try {
      r = parseRecord(line.bytes(), line.length(), null);
    } catch (StreamReadException e) {
      if (isUtf8Error(e)) {
        stats.invalidUtf8++;
        String decoded = new String(line.bytes(), 0, line.length(), StandardCharsets.UTF_8);
        try {
          r = parseRecord(null, 0, decoded);
        } catch (IOException e2) {
          stats.malformed++;
          stats.error("line " + lineNo + ": " + firstLine(e2.getMessage()));
          return null;
        }
      } else {
        stats.malformed++;
        stats.error("line " + lineNo + ": " + firstLine(e.getMessage()));
        return null;
      }
    } catch (IOException e) {
      stats.malformed++;
      stats.error("line " + lineNo + ": " + firstLine(e.getMessage()));
      return null;
    }
    if (r.text == null) {
      missingText(lineNo, stats);
      return null;
    }
    if (r.text.isEmpty()) {
      stats.emptyText++;
      return null;
    }
    stats.docs++;
    stats.textChars += r.text.length();
    return new CorpusDoc(lineNo, offsets ? line.offset() : -1, r.id, r.text);
  }

  private void missingText(long lineNo, FileStats stats) {
    stats.missingText++;
    stats.error("line " + lineNo + ": no string field " + String.join("/", textFields));
  }

  /**
   * The fast corpus pass: each line's text and id fields are found in its bytes ({@link
   * JsonFields}) and the text is tokenised and hashed from its UTF-8 bytes ({@link Utf8Tokenizer});
   * documents, counts and errors are exactly those of {@link #read}. A line outside the fast path's
   * strict subset of JSON (or non-ASCII text under {@code unicode/1}) goes through Jackson and the
   * normaliser as in {@link #read}, so the two paths never disagree.
   */
  @Override
  public void readTokens(
      CorpusFile file, Normalization normalization, TokenConsumer sink, FileStats stats)
      throws IOException {
    boolean offsets = !isCompressed(file.name());
    CountingStream raw = new CountingStream(file.open());
    InputStream in;
    try {
      in = decompress(raw, file.name());
    } catch (IOException e) {
      truncated(file, stats, raw, "cannot decompress: " + e.getMessage());
      return;
    }
    JsonFields fields = new JsonFields(textFields, idField);
    Utf8Tokenizer tokenizer = new Utf8Tokenizer(normalization);
    TextNormalizer normalizer = normalization.newNormalizer();
    TokenBuffer buffer = new TokenBuffer();
    TokenizedDoc td = new TokenizedDoc();
    try (InputStream s = in) {
      LineSplitter lines = new LineSplitter(s, 1 << 20);
      Supplier<CorpusDoc> text = () -> reparse(lines, offsets, td.position());
      try {
        while (lines.next()) {
          stats.records++;
          if (lines.isBlank()) {
            stats.blankLines++;
            continue;
          }
          int fast = fastLine(lines, offsets, fields, tokenizer, td, stats);
          if (fast == NO_DOC) {
            continue;
          }
          if (fast == SLOW) {
            CorpusDoc d = parseDoc(lines, offsets, stats);
            if (d == null) {
              continue;
            }
            normalizer.tokenize(d.text(), buffer);
            td.tokens().clear();
            td.tokens().addAll(buffer);
            td.set(d.position(), d.byteOffset(), d.id(), () -> d);
          } else {
            td.set(stats.records, offsets ? lines.offset() : -1, td.id(), text);
          }
          stats.tokens += td.tokens().size();
          boolean more;
          try {
            more = sink.accept(td);
          } catch (IOException e) {
            throw new SinkFailure(e);
          }
          if (!more) {
            return;
          }
        }
      } catch (LineTooLong e) {
        throw tooLong(file, stats.records + 1);
      } catch (SinkFailure f) {
        throw f.getCause();
      } catch (IOException e) {
        truncated(
            file,
            stats,
            raw,
            "stream ended abnormally after line " + stats.records + ": " + e.getMessage());
      }
    }
  }

  private static final int SLOW = 0;
  private static final int NO_DOC = 1;
  private static final int DOC = 2;

  /**
   * The fast path for one non-blank line: DOC (tokens and id in {@code td}, counted), NO_DOC
   * (missing or empty text, counted) or SLOW (nothing counted: parse it with Jackson).
   */
  private int fastLine(
      LineSplitter line,
      boolean offsets,
      JsonFields fields,
      Utf8Tokenizer tokenizer,
      TokenizedDoc td,
      FileStats stats) {
    byte[] b = line.bytes();
    if (!fields.scan(b, line.length())) {
      return SLOW;
    }
    td.tokens().clear();
    long units = 0;
    int present = 0;
    for (int f = 0; f < textFields.size(); f++) {
      if (fields.textStart[f] < 0) {
        continue;
      }
      if (present++ > 0) {
        units++; // the newline joining two fields (whitespace: it ends a token)
      }
      long u = tokenizer.tokenize(b, fields.textStart[f], fields.textEnd[f], td.tokens());
      if (u < 0) {
        return SLOW;
      }
      units += u;
    }
    if (present == 0) {
      missingText(stats.records, stats);
      return NO_DOC;
    }
    if (units == 0) {
      stats.emptyText++;
      return NO_DOC;
    }
    stats.docs++;
    stats.textChars += units;
    String id =
        switch (fields.idKind) {
          case 1 -> unescape(b, fields.idStart, fields.idEnd);
          case 2 -> new String(b, fields.idStart, fields.idEnd - fields.idStart, UTF_8);
          default -> null;
        };
    td.set(stats.records, offsets ? line.offset() : -1, id, null);
    return DOC;
  }

  /** The document of the current (well-formed) line, decoded by Jackson as {@link #read} does. */
  private CorpusDoc reparse(LineSplitter line, boolean offsets, long lineNo) {
    FileStats scratch = new FileStats();
    scratch.records = lineNo;
    CorpusDoc d = parseDoc(line, offsets, scratch);
    if (d == null) {
      throw new IllegalStateException(
          "line " + lineNo + " no longer parses: " + scratch.firstError);
    }
    return d;
  }

  /** A JSON string body with its escapes decoded (validated by {@link JsonFields}). */
  private static String unescape(byte[] b, int from, int to) {
    int k = from;
    while (k < to && b[k] != '\\') {
      k++;
    }
    if (k == to) {
      return new String(b, from, to - from, UTF_8);
    }
    StringBuilder sb = new StringBuilder(to - from);
    sb.append(new String(b, from, k - from, UTF_8));
    int i = k;
    while (i < to) {
      int j = i;
      while (j < to && b[j] != '\\') {
        j++;
      }
      sb.append(new String(b, i, j - i, UTF_8));
      if (j == to) {
        break;
      }
      char e = (char) b[j + 1];
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          sb.append((char) Integer.parseInt(new String(b, j + 2, 4, UTF_8), 16));
          j += 4;
        }
        default -> sb.append(e);
      }
      i = j + 2;
    }
    return sb.toString();
  }

  private static boolean isUtf8Error(StreamReadException e) {
    String m = String.valueOf(e.getOriginalMessage());
    return m.contains("UTF-8") || m.contains("UTF8");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unparseable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private record Record(String text, String id) {}

  private Record parseRecord(byte[] bytes, int len, String str) throws IOException {
    try (JsonParser p = str == null ? JSON.createParser(bytes, 0, len) : JSON.createParser(str)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "not a JSON object");
      }
      String[] texts = new String[textFields.size()];
      boolean badType = false;
      String id = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        int fi = textFields.indexOf(name);
        if (fi >= 0) {
          if (v == JsonToken.VALUE_STRING) {
            texts[fi] = p.getText();
          } else {
            badType |= v != JsonToken.VALUE_NULL;
            p.skipChildren();
          }
        } else if (name.equals(idField) && v.isScalarValue()) {
          id = p.getValueAsString();
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t);
      }
      if (p.nextToken() != null) {
        throw new com.fasterxml.jackson.core.JsonParseException(
            p, "trailing content after the JSON object");
      }
      StringBuilder text = null;
      for (String s : texts) {
        if (s != null) {
          if (text == null) {
            text = new StringBuilder(s);
          } else {
            text.append('\n').append(s);
          }
        }
      }
      if (text == null && badType) {
        return new Record(null, id);
      }
      return new Record(text == null ? null : text.toString(), id);
    }
  }

  /** Wraps a sink's IOException so it is not mistaken for a truncated stream. */
  private static final class SinkFailure extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    SinkFailure(IOException e) {
      super(e);
    }
  }

  /** Splits a byte stream into lines ({@code \n}, a trailing {@code \r} removed), with offsets. */
  static final class LineSplitter {
    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;
    private long bufStart;
    private byte[] line = new byte[1 << 12];
    private int len;
    private long offset;
    private boolean eof;

    LineSplitter(InputStream in) {
      this(in, 1 << 16);
    }

    LineSplitter(InputStream in, int bufferSize) {
      this.in = in;
      this.buf = new byte[bufferSize];
    }

    boolean next() throws IOException {
      if (eof) {
        return false;
      }
      len = 0;
      offset = bufStart + pos;
      while (true) {
        if (pos == limit) {
          bufStart += limit;
          pos = 0;
          limit = Math.max(0, in.read(buf));
          if (limit == 0) {
            eof = true;
            return len > 0;
          }
        }
        int start = pos;
        pos = newline(buf, pos, limit);
        append(start, pos);
        if (pos < limit) {
          pos++; // the newline
          if (len > 0 && line[len - 1] == '\r') {
            len--;
          }
          return true;
        }
      }
    }

    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = ONES * '\n';

    /** The index of the first newline in {@code b[from, to)}, or {@code to}: 8 bytes a step. */
    static int newline(byte[] b, int from, int to) {
      int i = from;
      while (i + 8 <= to) {
        long x = (long) LONGS.get(b, i) ^ NEWLINES; // a zero byte where b has a newline
        long z = (x - ONES) & ~x & HIGHS;
        if (z != 0) {
          return i + (Long.numberOfTrailingZeros(z) >>> 3);
        }
        i += 8;
      }
      while (i < to && b[i] != '\n') {
        i++;
      }
      return i;
    }

    private void append(int from, int to) {
      int k = to - from;
      if ((long) len + k > MAX_DOCUMENT_BYTES) {
        throw new LineTooLong();
      }
      if (len + k > line.length) {
        line =
            Arrays.copyOf(
                line, (int) Math.min(MAX_DOCUMENT_BYTES, Math.max(line.length * 2L, len + k)));
      }
      System.arraycopy(buf, from, line, len, k);
      len += k;
    }

    byte[] bytes() {
      return line;
    }

    int length() {
      return len;
    }

    long offset() {
      return offset;
    }

    boolean isBlank() {
      for (int i = 0; i < len; i++) {
        byte b = line[i];
        if (b != ' ' && b != '\t' && b != '\r') {
          return false;
        }
      }
      return true;
    }
  }
}
