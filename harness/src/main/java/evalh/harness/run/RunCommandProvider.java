package evalh.harness.run;

import evalh.core.cli.CommandProvider;

/** Registers {@code evalh run}. */
public final class RunCommandProvider implements CommandProvider {
  @Override
  public Object command() {
    return new RunCommand();
  }

  @Override
  public int order() {
    return 10;
  }
}
