package evalh.decontam.schema;

/**
 * A {@code decontam.json} that cannot be read as the documented format; the message names where.
 */
public final class DecontamFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DecontamFormatException(String message) {
    super(message);
  }

  public DecontamFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
