package evalh.reporting;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a picocli command as the evalh entry point does and captures exit code and output. */
public record CliRun(int exit, String out, String err) {
  public static CliRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    // as evalh.cli.Main: an exception is "evalh: error: <message>" and exit code 1
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          c.getErr().println("evalh: error: " + ex.getMessage());
          return 1;
        });
    int code = cl.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
