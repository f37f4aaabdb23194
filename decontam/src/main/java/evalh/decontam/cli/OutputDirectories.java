package evalh.decontam.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Checks of output directory options, before any work. */
final class OutputDirectories {
  private OutputDirectories() {}

  /** A usage error (exit 2) when {@code dir} exists and is not a directory. */
  static void requireDirectory(CommandLine cl, String option, Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new CommandLine.ParameterException(
          cl,
          option
              + " "
              + dir
              + " is an existing file, not a directory; give a new or existing directory");
    }
  }
}
