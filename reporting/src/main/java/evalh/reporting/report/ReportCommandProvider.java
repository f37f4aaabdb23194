package evalh.reporting.report;

import evalh.core.cli.CommandProvider;

/** Registers {@code evalh report}. */
public final class ReportCommandProvider implements CommandProvider {
  @Override
  public Object command() {
    return new ReportCommand();
  }

  @Override
  public int order() {
    return 500;
  }
}
