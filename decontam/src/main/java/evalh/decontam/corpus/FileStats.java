package evalh.decontam.corpus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What reading one corpus file produced: documents, and every kind of bad input counted (never
 * fatal). Written into the index metadata and printed per file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class FileStats implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Lines (JSONL) or rows (parquet) read. */
  @JsonProperty public long records;

  /** Documents handed to the index (non-empty text). */
  @JsonProperty public long docs;

  /** Bytes of text indexed (UTF-16 chars, as a size proxy). */
  @JsonProperty("text_chars")
  public long textChars;

  /** Lines that are not one JSON object. */
  @JsonProperty public long malformed;

  /** Normalised tokens of the indexed text. */
  @JsonProperty public long tokens;

  /** Records without any of the text fields (or with a non-string text field). */
  @JsonProperty("missing_text")
  public long missingText;

  /** Records whose text is empty. */
  @JsonProperty("empty_text")
  public long emptyText;

  /** Lines that are not valid UTF-8 (indexed with U+FFFD replacements). */
  @JsonProperty("invalid_utf8")
  public long invalidUtf8;

  /** Blank lines (skipped). */
  @JsonProperty("blank_lines")
  public long blankLines;

  /** Set when the file ended early or could not be decompressed/read to the end. */
  @JsonProperty public String truncated;

  /**
   * With {@link #truncated}: the bytes of the file read (before decompression) when reading broke
   * off, where known.
   */
  @JsonProperty("truncated_at_byte")
  public Long truncatedAtByte;

  /** First malformed/missing examples, for the message ("line 17: ..."). */
  @JsonProperty("first_error")
  public String firstError;

  void error(String where) {
    if (firstError == null) {
      firstError = where;
    }
  }

  /** True when something was skipped or replaced. */
  public boolean hasProblems() {
    return malformed + missingText + invalidUtf8 > 0 || truncated != null;
  }

  /** One-line human summary. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(docs).append(" docs from ").append(records).append(" records");
    if (malformed > 0) {
      sb.append(", ").append(malformed).append(" malformed");
    }
    if (missingText > 0) {
      sb.append(", ").append(missingText).append(" without text field");
    }
    if (emptyText > 0) {
      sb.append(", ").append(emptyText).append(" empty text");
    }
    if (invalidUtf8 > 0) {
      sb.append(", ").append(invalidUtf8).append(" invalid UTF-8 (replaced)");
    }
    if (truncated != null) {
      sb.append(", TRUNCATED: ").append(truncated);
    }
    if (firstError != null) {
      sb.append(" (first problem: ").append(firstError).append(')');
    }
    return sb.toString();
  }
}
