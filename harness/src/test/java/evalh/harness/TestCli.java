package evalh.harness;

import evalh.core.cli.CommandErrors;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** A command line for one evalh command, with the error handling {@code evalh}'s main installs. */
public final class TestCli {
  private TestCli() {}

  /** Exit 1 with the message for a failure, 2 for a usage error, as {@code evalh} does. */
  public static CommandLine of(Object command) {
    CommandLine cl = new CommandLine(command);
    cl.setExecutionExceptionHandler((ex, c, p) -> CommandErrors.report(ex, c.getErr(), m -> m));
    return cl;
  }

  /** Runs {@code command} with {@code args}: {exit code, stdout, stderr}. */
  public static String[] run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = of(command);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int rc = cl.execute(args);
    return new String[] {String.valueOf(rc), out.toString(), err.toString()};
  }
}
