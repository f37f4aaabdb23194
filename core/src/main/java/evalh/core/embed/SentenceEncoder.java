package evalh.core.embed;

import java.io.IOException;
import java.util.List;

/**
 * A sentence encoder: texts in, one embedding per text out, pooled and normalised as the
 * checkpoint's sentence-transformers configuration says. The seam between the paraphrase pass of
 * decontamination (which only needs vectors) and the engine that computes them (which decontam must
 * not depend on).
 */
public interface SentenceEncoder extends AutoCloseable {
  /**
   * Embeddings of {@code texts}, in order, each of {@link #dimension()} finite values; the result
   * does not depend on how the texts are batched or padded.
   */
  List<float[]> embed(List<String> texts) throws IOException;

  /** Length of every embedding. */
  int dimension();

  /** Whether {@link #embed} returns unit-length vectors (so that a dot product is a cosine). */
  boolean normalized();

  /** What this encoder is, for reports: checkpoint path, pooling, device, dtype. */
  String describe();

  @Override
  void close();
}
