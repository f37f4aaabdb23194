package evalh.harness.cli;

import evalh.core.cli.CommandProvider;

/**
 * Registers the harness commands ({@code score}, {@code embed}, {@code bench}, {@code
 * check-fixtures}) with the evalh command line.
 */
public final class HarnessCommands {
  private HarnessCommands() {}

  /** {@code evalh score}. */
  public static final class Score implements CommandProvider {
    @Override
    public Object command() {
      return new ScoreCommand();
    }

    @Override
    public int order() {
      return 10;
    }
  }

  /** {@code evalh check-fixtures}. */
  public static final class CheckFixtures implements CommandProvider {
    @Override
    public Object command() {
      return new CheckFixturesCommand();
    }

    @Override
    public int order() {
      return 95;
    }
  }

  /** {@code evalh embed}. */
  public static final class Embed implements CommandProvider {
    @Override
    public Object command() {
      return new EmbedCommand();
    }

    @Override
    public int order() {
      return 20;
    }
  }

  /** {@code evalh bench}. */
  public static final class Bench implements CommandProvider {
    @Override
    public Object command() {
      return new BenchCommand();
    }

    @Override
    public int order() {
      return 90;
    }
  }
}
