package evalh.harness.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * How every evalh entry point reports a failed command: one line {@code evalh: error: <message and
 * causes>} on stderr (the stack trace too when {@code EVALH_DEBUG} is set) and exit status 1.
 */
public final class CommandErrors {
  private CommandErrors() {}

  /** Installs the handler on {@code cl}. */
  public static CommandLine install(CommandLine cl) {
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println(commandLine.getColorScheme().errorText("evalh: error: " + describe(ex)));
          if (System.getenv("EVALH_DEBUG") != null) {
            ex.printStackTrace(err);
          }
          return 1;
        });
    return cl;
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
