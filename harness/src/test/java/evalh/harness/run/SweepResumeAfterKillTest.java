package evalh.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a sweep's JVM with SIGKILL while it scores its second checkpoint, runs the same command
 * again, and checks that the first checkpoint is skipped, the second resumes from its request cache
 * and every results.json equals that of an uninterrupted sweep (timings aside).
 */
class SweepResumeAfterKillTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private List<String> command(Path run, Path out) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SweepChild.class.getName());
    cmd.addAll(
        List.of(
            "--task",
            "mmlu-anatomy,mmlu-astronomy",
            "--ckpt",
            run.toString(),
            "--sample-data",
            "--cache-batch",
            "4",
            "-o",
            out.toString()));
    return cmd;
  }

  private Process start(Path run, Path out, String log) throws Exception {
    return new ProcessBuilder(command(run, out))
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve(log).toFile())
        .start();
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
  void killedSweepPicksUpWhereItStopped() throws Exception {
    Path run = tmp.resolve("ckpts/mix");
    for (int s : new int[] {100, 200, 300}) {
      Files.createDirectories(run.resolve("step-" + s));
      Files.writeString(run.resolve("step-" + s).resolve("fp"), "fp-" + s);
    }
    Path fresh = tmp.resolve("fresh");
    Process p0 = start(run, fresh, "fresh.log");
    assertThat(p0.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p0.exitValue()).as(Files.readString(tmp.resolve("fresh.log"))).isZero();

    Path killed = tmp.resolve("killed");
    Path cache2 = killed.resolve("mix/200/cache/requests.jsonl");
    Process p1 = start(run, killed, "killed.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (lines(cache2) < 4 && p1.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    p1.destroyForcibly(); // SIGKILL
    p1.waitFor(60, TimeUnit.SECONDS);
    assertThat(killed.resolve("mix/100/results.json")).exists();
    assertThat(killed.resolve("mix/200/results.json")).doesNotExist();
    assertThat(lines(cache2)).as("killed inside step 200").isBetween(4L, 23L);

    Process p2 = start(run, killed, "resumed.log");
    assertThat(p2.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(tmp.resolve("resumed.log"));
    assertThat(p2.exitValue()).as(log).isZero();
    assertThat(log).contains("mix@100").contains("done already").contains("resuming with");
    assertThat(log).contains("1 skipped (done already)");
    for (String step : List.of("100", "200", "300")) {
      assertThat(comparable(killed.resolve("mix").resolve(step)))
          .as("step " + step)
          .isEqualTo(comparable(fresh.resolve("mix").resolve(step)));
    }
  }

  private static JsonNode comparable(Path dir) throws Exception {
    ObjectNode r = (ObjectNode) JSON.readTree(dir.resolve("results.json").toFile());
    ((ObjectNode) r.get("evalh")).remove(List.of("wall_seconds", "tokens_per_second", "this_run"));
    return r;
  }
}
