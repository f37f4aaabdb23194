package evalh.decontam.check;

import java.util.List;

/**
 * A training document matching an item.
 *
 * @param file corpus file
 * @param position 1-based line (JSONL) or 0-based row (parquet)
 * @param parquet whether position is a parquet row
 * @param id document id or null
 * @param matchedNgrams item n-gram positions (non-boilerplate) found in this document
 * @param snippet text around the longest matched stretch, or null when the source is unreadable
 * @param highlights matched character ranges {@code [start, end)} within the snippet
 */
public record DocHit(
    String file,
    long position,
    boolean parquet,
    String id,
    int matchedNgrams,
    String snippet,
    List<DocHit.Range> highlights)
    implements java.io.Serializable {
  /** The characters {@code [start, end)} of the snippet. */
  public record Range(int start, int end) implements java.io.Serializable {}
}
