package evalh.decontam.cli;

import evalh.core.cli.CommandProvider;

/** Registers {@code evalh index}, {@code evalh decontam} and {@code evalh bench-decontam}. */
public final class DecontamCommands {
  private DecontamCommands() {}

  /** {@code evalh index}. */
  public static final class Index implements CommandProvider {
    @Override
    public Object command() {
      return new IndexCommand();
    }

    @Override
    public int order() {
      return 40;
    }
  }

  /** {@code evalh decontam}. */
  public static final class Decontam implements CommandProvider {
    @Override
    public Object command() {
      return new DecontamCommand();
    }

    @Override
    public int order() {
      return 41;
    }
  }

  /** {@code evalh bench-decontam}. */
  public static final class BenchDecontam implements CommandProvider {
    @Override
    public Object command() {
      return new BenchDecontamCommand();
    }

    @Override
    public int order() {
      return 91;
    }
  }
}
