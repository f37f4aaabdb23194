package evalh.reporting.diff;

import evalh.core.cli.CommandProvider;

/** Registers {@code evalh diff}. */
public final class DiffCommandProvider implements CommandProvider {
  @Override
  public Object command() {
    return new DiffCommand();
  }

  @Override
  public int order() {
    return 510;
  }
}
