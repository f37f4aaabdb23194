package evalh.decontam.corpus;

import evalh.decontam.text.TokenHashes;
import java.util.function.Supplier;

/**
 * One document as the corpus pass of an index build or a scan sees it: provenance and normalised
 * token hashes. The text itself is only decoded when asked for ({@link #doc()}, e.g. for the few
 * documents with a short-item hit). Instances are reused by the reader: valid only during the
 * callback.
 */
public final class TokenizedDoc {
  private final TokenHashes tokens = new TokenHashes();
  private long position;
  private long byteOffset;
  private String id;
  private Supplier<CorpusDoc> text;

  void set(long position, long byteOffset, String id, Supplier<CorpusDoc> text) {
    this.position = position;
    this.byteOffset = byteOffset;
    this.id = id;
    this.text = text;
  }

  /** 1-based line number (JSONL) or 0-based row index (parquet). */
  public long position() {
    return position;
  }

  /** Offset of the line in an uncompressed JSONL file, else -1. */
  public long byteOffset() {
    return byteOffset;
  }

  /** The id field's value, or null. */
  public String id() {
    return id;
  }

  /** The normalised tokens' hashes. */
  public TokenHashes tokens() {
    return tokens;
  }

  /** The document with its text, as {@link CorpusReader#read} delivers it (decoded on demand). */
  public CorpusDoc doc() {
    return text.get();
  }
}
