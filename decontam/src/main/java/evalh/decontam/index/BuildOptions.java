package evalh.decontam.index;

import evalh.decontam.text.NgramScheme;
import java.util.List;

/**
 * How to build an index.
 *
 * @param scheme normalisation, n and stride
 * @param textFields fields holding the document text (joined by a newline when several are set)
 * @param idField field holding the document id (may be absent in the data)
 * @param threads indexing threads (files are the unit of parallelism)
 * @param ramBufferMb Lucene in-memory buffer before a segment is flushed (shared by all threads)
 */
public record BuildOptions(
    NgramScheme scheme, List<String> textFields, String idField, int threads, double ramBufferMb)
    implements java.io.Serializable {
  public BuildOptions {
    textFields = List.copyOf(textFields);
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
  }

  public static BuildOptions defaults() {
    return new BuildOptions(NgramScheme.defaults(), List.of("text"), "id", 1, 256);
  }

  public BuildOptions withThreads(int t) {
    return new BuildOptions(scheme, textFields, idField, t, ramBufferMb);
  }
}
