package evalh.core.cli;

import java.io.PrintWriter;
import java.util.function.UnaryOperator;

/**
 * How every evalh entry point reports a failed command: one line {@code evalh: error: <message and
 * causes>} on stderr (the stack trace too when {@code EVALH_DEBUG} is set) and exit status {@value
 * #FAILURE}. Usage errors (exit {@value #USAGE}) are picocli's; the cli module routes a command's
 * exception here.
 */
public final class CommandErrors {
  /** Exit status of a command that failed. */
  public static final int FAILURE = 1;

  /** Exit status of a command line that could not be parsed or was inconsistent. */
  public static final int USAGE = 2;

  private CommandErrors() {}

  /**
   * Prints {@code ex} as one error line to {@code err}, the line styled by {@code style} (e.g.
   * picocli's error colour), and returns {@link #FAILURE}.
   */
  public static int report(Throwable ex, PrintWriter err, UnaryOperator<String> style) {
    err.println(style.apply("evalh: error: " + describe(ex)));
    if (System.getenv("EVALH_DEBUG") != null) {
      ex.printStackTrace(err);
    }
    return FAILURE;
  }

  /** The message of {@code ex} followed by those of its causes that add something. */
  public static String describe(Throwable ex) {
    StringBuilder sb = new StringBuilder(String.valueOf(ex.getMessage()));
    Throwable c = ex.getCause();
    while (c != null && c != ex) {
      if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
        sb.append(": ").append(c.getMessage());
      }
      ex = c;
      c = c.getCause();
    }
    return sb.toString();
  }
}
