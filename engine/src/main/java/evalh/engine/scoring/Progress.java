package evalh.engine.scoring;

/** Receives progress from long scoring calls; implementations must be thread-safe. */
@FunctionalInterface
public interface Progress {
  /**
   * Called after a batch finished.
   *
   * @param requests requests completed by this batch
   * @param tokens forward tokens computed by this batch
   */
  void advance(int requests, long tokens);

  Progress NONE = (r, t) -> {};
}
