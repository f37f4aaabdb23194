package evalh.reporting.results;

/** A results, samples or decontam file that cannot be read as the documented format. */
public final class ResultsFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ResultsFormatException(String message) {
    super(message);
  }

  public ResultsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
