package evalh.decontam.corpus;

/**
 * One training document as read from a corpus file.
 *
 * @param position 1-based line number (JSONL) or 0-based row index (parquet)
 * @param byteOffset offset of the line in an uncompressed JSONL file, else -1
 * @param id the value of the id field, or null
 * @param text the document text (text fields joined by a newline)
 */
public record CorpusDoc(long position, long byteOffset, String id, String text) {}
