package evalh.harness.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * {@code evalh run ARGS} on the fake model, 300 ms per engine call, with the fingerprint in each
 * checkpoint's file {@code fp} (a second JVM for the sweep's kill -9 test).
 */
public final class SweepChild {
  private SweepChild() {}

  static String fingerprint(Path dir) {
    try {
      return Files.readString(dir.resolve("fp")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) {
    EvaluationRun.EvaluatorFactory factory =
        (c, o) -> {
          FakeEvaluator f = new FakeEvaluator();
          f.delayMs = 300;
          f.fingerprint = fingerprint(Path.of(c));
          return f;
        };
    System.exit(new CommandLine(new RunCommand(factory, SweepChild::fingerprint)).execute(args));
  }
}
