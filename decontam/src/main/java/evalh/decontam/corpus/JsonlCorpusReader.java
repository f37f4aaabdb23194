package evalh.decontam.corpus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
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
    long lineNo = stats.records;
    if (line.isBlank()) {
      stats.blankLines++;
      return true;
    }
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
          return true;
        }
      } else {
        stats.malformed++;
        stats.error("line " + lineNo + ": " + firstLine(e.getMessage()));
        return true;
      }
    } catch (IOException e) {
      stats.malformed++;
      stats.error("line " + lineNo + ": " + firstLine(e.getMessage()));
      return true;
    }
    if (r.text == null) {
      stats.missingText++;
      stats.error("line " + lineNo + ": no string field " + String.join("/", textFields));
      return true;
    }
    if (r.text.isEmpty()) {
      stats.emptyText++;
      return true;
    }
    stats.docs++;
    stats.textChars += r.text.length();
    try {
      return sink.accept(new CorpusDoc(lineNo, offsets ? line.offset() : -1, r.id, r.text));
    } catch (IOException e) {
      throw new SinkFailure(e);
    }
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
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private long bufStart;
    private byte[] line = new byte[1 << 12];
    private int len;
    private long offset;
    private boolean eof;

    LineSplitter(InputStream in) {
      this.in = in;
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
        while (pos < limit && buf[pos] != '\n') {
          pos++;
        }
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
