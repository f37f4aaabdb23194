package evalh.harness.run;

import picocli.CommandLine;

/** Runs {@code evalh run ARGS} in a separate JVM (for the kill -9 test). */
public final class RunChild {
  private RunChild() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new RunCommand()).execute(args));
  }
}
