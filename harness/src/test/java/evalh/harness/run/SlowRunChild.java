package evalh.harness.run;

import picocli.CommandLine;

/**
 * {@code evalh run ARGS} on the fake model, 300 ms per engine call (a second JVM for lock tests).
 */
public final class SlowRunChild {
  private SlowRunChild() {}

  public static void main(String[] args) {
    FakeEvaluator fake = new FakeEvaluator();
    fake.delayMs = 300;
    System.exit(new CommandLine(new RunCommand((c, o) -> fake)).execute(args));
  }
}
