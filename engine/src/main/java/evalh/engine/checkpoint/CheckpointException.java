package evalh.engine.checkpoint;

/** A checkpoint directory that evalh cannot load; the message names the file and what is wrong. */
public final class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
