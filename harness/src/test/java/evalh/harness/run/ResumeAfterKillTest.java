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
 * Kills a real `evalh run` JVM with SIGKILL while it is scoring, resumes it with the same command,
 * and checks that results.json and the samples equal those of an uninterrupted run (timings and
 * per-process counters aside).
 */
class ResumeAfterKillTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REQUESTS = 16 * 4; // 16 subjects x --limit 1 x 4 choices
  @TempDir Path tmp;

  private static List<String> command(Path out) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(RunChild.class.getName());
    cmd.addAll(
        List.of(
            "--task",
            "mmlu-science",
            "--ckpt",
            "demo",
            "--sample-data",
            "--num-fewshot",
            "5",
            "--limit",
            "1",
            "--device",
            "cpu",
            "--cache-batch",
            "4",
            "--batch-tokens",
            "8192",
            "-o",
            out.toString()));
    return cmd;
  }

  private static Process start(Path out, Path log) throws Exception {
    return new ProcessBuilder(command(out))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
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
  void killedRunResumesToIdenticalResults() throws Exception {
    Path fresh = tmp.resolve("fresh");
    Process p0 = start(fresh, tmp.resolve("fresh.log"));
    assertThat(p0.waitFor(240, TimeUnit.SECONDS)).isTrue();
    assertThat(p0.exitValue()).as(Files.readString(tmp.resolve("fresh.log"))).isZero();

    Path killed = tmp.resolve("killed");
    Path cache = killed.resolve("cache/requests.jsonl");
    Process p1 = start(killed, tmp.resolve("killed.log"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (lines(cache) < 8 && p1.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    p1.destroyForcibly(); // SIGKILL
    p1.waitFor(60, TimeUnit.SECONDS);
    long cachedAtKill = lines(cache);
    assertThat(cachedAtKill).as("killed mid-run").isBetween(8L, (long) REQUESTS - 1);
    assertThat(killed.resolve("results.json")).doesNotExist();

    Process p2 = start(killed, tmp.resolve("resumed.log"));
    assertThat(p2.waitFor(240, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(tmp.resolve("resumed.log"));
    assertThat(p2.exitValue()).as(log).isZero();
    assertThat(log).contains("resuming with");
    assertThat(lines(cache)).isEqualTo(REQUESTS);

    JsonNode a = comparable(fresh.resolve("results.json"));
    JsonNode b = comparable(killed.resolve("results.json"));
    assertThat(b).isEqualTo(a);
    assertThat(b.at("/results/mmlu-science/acc,none").isNumber()).isTrue();
    try (var s = Files.list(fresh)) {
      for (Path f : s.filter(x -> x.getFileName().toString().startsWith("samples_")).toList()) {
        assertThat(Files.readString(killed.resolve(f.getFileName())))
            .as(f.getFileName().toString())
            .isEqualTo(Files.readString(f));
      }
    }
  }

  /** results.json without run-dependent fields (timings, what this process did, paths). */
  private static JsonNode comparable(Path results) throws Exception {
    ObjectNode r = (ObjectNode) JSON.readTree(results.toFile());
    ObjectNode e = (ObjectNode) r.get("evalh");
    e.remove(List.of("wall_seconds", "tokens_per_second", "this_run"));
    ObjectNode c = (ObjectNode) r.get("config");
    c.remove("output");
    return r;
  }
}
