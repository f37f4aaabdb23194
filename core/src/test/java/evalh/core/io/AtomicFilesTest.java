package evalh.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path tmp;

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static String names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return String.join(",", s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /**
   * The oracle is a file the JDK creates the ordinary way, which the operating system gives 0666
   * minus the process umask; {@code Files.createTempFile} would give 0600 whatever the umask.
   */
  @Test
  void newFileGetsThePermissionsOfAnyNewFileUnderTheProcessUmask() throws Exception {
    Path plain = Files.writeString(tmp.resolve("plain.txt"), "x");
    Path written = tmp.resolve("out/results.json");
    AtomicFiles.writeString(written, "{}");
    assertThat(perms(written)).isEqualTo(perms(plain));
    assertThat(perms(plain)).as("group/other read under the usual umask 022").startsWith("rw-r");
  }

  @Test
  void replacingKeepsThePermissionsOfTheReplacedFile() throws Exception {
    Path f = tmp.resolve("report.md");
    Files.writeString(f, "old");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
    AtomicFiles.writeString(f, "new");
    assertThat(Files.readString(f)).isEqualTo("new");
    assertThat(perms(f)).isEqualTo("rw-rw-r--");
    assertThat(names(tmp)).isEqualTo("report.md");
  }

  @Test
  void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws Exception {
    Path f = tmp.resolve("samples.jsonl");
    AtomicFiles.writeString(f, "complete\n");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    f,
                    out -> {
                      out.write("partial".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                      throw new IOException("disk full");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("disk full");
    assertThat(Files.readString(f)).isEqualTo("complete\n");
    assertThat(names(tmp)).isEqualTo("samples.jsonl");
  }

  @Test
  void aWriterThatClosesItsStreamStillProducesTheWholeFile() throws Exception {
    Path f = tmp.resolve("a.bin");
    AtomicFiles.write(
        f,
        out -> {
          out.write(new byte[] {1, 2, 3});
          out.close();
        });
    assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
  }
}
