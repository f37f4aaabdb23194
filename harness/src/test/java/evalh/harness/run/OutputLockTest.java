package evalh.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run per output directory, checked with real processes: a second `evalh run` into a busy
 * directory is refused at once naming the holder's pid; kill -9 releases the lock and the same
 * command resumes.
 */
class OutputLockTest {
  @TempDir Path tmp;

  private Process start(Path out, Path log) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SlowRunChild.class.getName());
    cmd.addAll(
        List.of(
            "--task",
            "mmlu-science",
            "--ckpt",
            "demo",
            "--sample-data",
            "--cache-batch",
            "4",
            "--no-progress",
            "-o",
            out.toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static long lines(Path f) throws Exception {
    if (!Files.exists(f)) {
      return 0;
    }
    try (var s = Files.lines(f)) {
      return s.count();
    }
  }

  @Test
  void secondRunIsRefusedAndKillReleasesTheLock() throws Exception {
    Path out = tmp.resolve("out");
    Path cache = out.resolve("cache/requests.jsonl");
    Process first = start(out, tmp.resolve("first.log"));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (lines(cache) < 8 && first.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(first.isAlive()).as("first run still scoring").isTrue();
      assertThat(Files.readString(out.resolve(OutputLock.FILE), StandardCharsets.US_ASCII).strip())
          .isEqualTo(Long.toString(first.pid()));

      long t0 = System.nanoTime();
      Process second = start(out, tmp.resolve("second.log"));
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(tmp.resolve("second.log"));
      assertThat(second.exitValue()).as(log).isEqualTo(1);
      assertThat(log)
          .contains("output directory " + out + " is in use by another evalh run")
          .contains("(pid " + first.pid() + ")");
      assertThat(first.isAlive()).as("refused while the first run held the lock").isTrue();
      assertThat(out.resolve("results.json")).doesNotExist();
      System.out.printf(
          Locale.ROOT,
          "second run refused after %.1f s (JVM start included)%n",
          (System.nanoTime() - t0) / 1e9);
    } finally {
      first.destroyForcibly(); // SIGKILL: the OS drops the lock
      first.waitFor(30, TimeUnit.SECONDS);
    }
    long cached = lines(cache);
    Process resumed = start(out, tmp.resolve("resumed.log"));
    assertThat(resumed.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(tmp.resolve("resumed.log"));
    assertThat(resumed.exitValue()).as(log).isZero();
    assertThat(log).contains("resuming with " + cached + " cached answers");
    assertThat(out.resolve("results.json")).exists();
  }

  @Test
  void sameJvmCannotTakeTheLockTwiceAndReleaseFreesIt() {
    Path dir = tmp.resolve("d");
    try (OutputLock a = OutputLock.acquireDirectory(dir)) {
      assertThatThrownBy(() -> OutputLock.acquireDirectory(dir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("output directory " + dir + " is already open in this process")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
      // the refusal must not have dropped the held lock: a cache in the same directory still locks
      try (RequestCache c = RequestCache.open(dir.resolve("cache/requests.jsonl"))) {
        assertThatThrownBy(() -> RequestCache.open(dir.resolve("cache/requests.jsonl")))
            .hasMessageContaining("request cache");
      }
    }
    OutputLock.acquireDirectory(dir).close();
  }
}
