package evalh.decontam.paraphrase;

import java.util.List;

/**
 * How corpus documents are cut into windows (serializable: a distributed scan ships it to its
 * workers).
 *
 * @param window words per window (whitespace-separated words of the raw text)
 * @param step words between window starts ({@code step <= window}: windows overlap by {@code window
 *     - step}, so any passage of at most {@code window - step + 1} words lies whole in one window)
 * @param textFields fields holding the document text
 * @param idField field holding the document id
 * @param threads indexing threads (files are the unit)
 * @param ramBufferMb Lucene's buffer before a segment is flushed
 */
public record WindowOptions(
    int window, int step, List<String> textFields, String idField, int threads, double ramBufferMb)
    implements java.io.Serializable {
  public static final int DEFAULT_WINDOW = 96;
  public static final int DEFAULT_STEP = 24;

  public WindowOptions {
    textFields = List.copyOf(textFields);
    if (window < 8 || step < 1 || step > window) {
      throw new IllegalArgumentException(
          "window must be >= 8 words and 1 <= step <= window, got window="
              + window
              + " step="
              + step);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
  }

  /** Default windows over the given fields. */
  public static WindowOptions of(List<String> textFields, String idField, int threads) {
    return new WindowOptions(DEFAULT_WINDOW, DEFAULT_STEP, textFields, idField, threads, 128);
  }
}
