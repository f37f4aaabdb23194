package evalh.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --ckpt demo leaves no extracted copy behind, and removes those of killed processes. */
class DemoCheckpointTest {
  @TempDir Path tmp;

  /** Extracts the demo checkpoint and exits (run in a child JVM). */
  public static void main(String[] args) {
    Path dir = DemoCheckpoint.resolve(DemoCheckpoint.NAME);
    System.out.println(dir);
  }

  private static List<Path> demoDirs(Path root) throws Exception {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.getFileName().toString().startsWith(DemoCheckpoint.PREFIX)).toList();
    }
  }

  private Process child(Path tmpRoot) throws Exception {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.io.tmpdir=" + tmpRoot,
            "-cp",
            System.getProperty("java.class.path"),
            DemoCheckpointTest.class.getName())
        .redirectErrorStream(true)
        .start();
  }

  @Test
  void aProcessThatExitsLeavesNothing() throws Exception {
    Process p = child(tmp);
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(printed).isZero();
    assertThat(printed).contains(DemoCheckpoint.PREFIX + p.pid() + "-");
    assertThat(demoDirs(tmp)).isEmpty();
  }

  @Test
  void staleCopiesOfDeadProcessesAreRemovedOthersKept() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    Path stale = Files.createDirectories(tmp.resolve(DemoCheckpoint.PREFIX + gone.pid() + "-42"));
    Files.writeString(stale.resolve("model-00001-of-00002.safetensors"), "left by kill -9");
    Path live =
        Files.createDirectories(
            tmp.resolve(DemoCheckpoint.PREFIX + ProcessHandle.current().pid() + "-7"));
    Path foreign = Files.createDirectories(tmp.resolve(DemoCheckpoint.PREFIX + "notours"));
    Path fresh = DemoCheckpoint.extract(tmp);
    assertThat(stale).doesNotExist();
    assertThat(live).exists();
    assertThat(foreign).exists();
    assertThat(fresh.resolve("config.json")).exists();
    DemoCheckpoint.deleteTree(fresh);
  }
}
