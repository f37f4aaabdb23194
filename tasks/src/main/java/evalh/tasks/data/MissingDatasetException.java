package evalh.tasks.data;

/** A dataset is not in the data directory; the message says how to download it. */
public final class MissingDatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MissingDatasetException(String message) {
    super(message);
  }
}
