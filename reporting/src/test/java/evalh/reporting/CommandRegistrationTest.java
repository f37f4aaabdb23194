package evalh.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.core.cli.CommandProvider;
import evalh.core.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandRegistrationTest {
  @TempDir Path tmp;

  @Test
  void reportAndDiffAreDiscoveredAsTheEntryPointDoes() {
    List<String> names =
        ServiceLoader.load(CommandProvider.class).stream()
            .map(p -> new CommandLine(p.get().command()).getCommandName())
            .toList();
    assertThat(names).contains("report", "diff");
  }

  @Test
  void helpDescribesEveryOption() {
    for (CommandProvider p : ServiceLoader.load(CommandProvider.class)) {
      CommandLine cl = new CommandLine(p.command());
      if (!List.of("report", "diff").contains(cl.getCommandName())) {
        continue;
      }
      cl.getCommandSpec()
          .options()
          .forEach(
              o ->
                  assertThat(String.join(" ", o.description()))
                      .as(cl.getCommandName() + " " + o.longestName())
                      .isNotBlank());
      CliRun help = CliRun.of(p.command(), "--help");
      assertThat(help.exit()).isZero();
      assertThat(help.out()).contains("Exit codes").doesNotContain("%n");
    }
  }

  @Test
  void atomicWritesReplaceAndLeaveNoTemporaryFiles() throws Exception {
    Path f = tmp.resolve("sub/out.txt");
    AtomicFiles.writeString(f, "one");
    AtomicFiles.writeString(f, "two");
    assertThat(Files.readString(f)).isEqualTo("two");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-r--r--");
    try (var s = Files.list(f.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("out.txt");
    }
  }
}
