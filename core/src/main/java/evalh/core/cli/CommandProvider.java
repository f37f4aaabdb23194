package evalh.core.cli;

/**
 * Contributes one picocli subcommand to the {@code evalh} command line. Modules register
 * implementations in {@code META-INF/services/evalh.core.cli.CommandProvider}; the cli module
 * discovers them with {@link java.util.ServiceLoader}, so a module adds a command without the cli
 * module naming it.
 */
public interface CommandProvider {
  /**
   * A fresh instance of a class annotated with {@code @picocli.CommandLine.Command(name = ...)}.
   */
  Object command();

  /** Position in {@code evalh --help} (lower first). */
  default int order() {
    return 100;
  }
}
