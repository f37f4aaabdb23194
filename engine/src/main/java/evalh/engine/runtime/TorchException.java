package evalh.engine.runtime;

/** A libtorch call that failed or a libtorch that cannot be used; names the op and its inputs. */
public final class TorchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TorchException(String message) {
    super(message);
  }

  public TorchException(String message, Throwable cause) {
    super(message, cause);
  }
}
