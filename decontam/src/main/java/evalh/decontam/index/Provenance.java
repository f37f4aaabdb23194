package evalh.decontam.index;

/**
 * Where a matched training document comes from.
 *
 * @param doc Lucene document number (valid for the reader it came from)
 * @param fileOrd ordinal of the corpus file in the index metadata
 * @param file absolute path of the corpus file
 * @param position 1-based line (JSONL) or 0-based row (parquet)
 * @param byteOffset line offset in an uncompressed JSONL file, or -1
 * @param id document id, or null
 */
public record Provenance(
    int doc, int fileOrd, String file, long position, long byteOffset, String id) {
  public boolean parquet() {
    return file.endsWith(".parquet");
  }
}
