package evalh.scoring.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.harness.run.RunCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * What this module's sweep tests share: {@code evalh run} in this JVM, and the oracle comparison
 * (every file of the local sweep, with its bytes; results.json less its timing fields).
 */
final class SweepRuns {
  static final ObjectMapper JSON = new ObjectMapper();

  private SweepRuns() {}

  static int run(StringWriter out, StringWriter err, List<String> args) {
    CommandLine cl = new CommandLine(new RunCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args.toArray(String[]::new));
  }

  static List<String> args(List<String> common, String... more) {
    return Stream.concat(common.stream(), Stream.of(more)).toList();
  }

  /** A sweep of the checkpoints under {@code ckpts} x two tasks, two items each, on the CPU. */
  static List<String> sweep(Path ckpts, String... more) {
    return args(
        List.of(
            "--task",
            "mmlu-anatomy,wikitext-2",
            "--sample-data",
            "--limit",
            "2",
            "--device",
            "cpu",
            "--ckpt",
            ckpts.toString()),
        more);
  }

  /** results.json less what the issue calls timing fields: wall time, throughput, this_run. */
  static JsonNode stable(byte[] results) throws IOException {
    ObjectNode n = (ObjectNode) JSON.readTree(results);
    ((ObjectNode) n.get("evalh")).remove(List.of("wall_seconds", "tokens_per_second", "this_run"));
    return n;
  }

  /** Whether a sweep output's file is compared: not the request caches, not the lock files. */
  static boolean compared(String relative) {
    return !relative.startsWith("cache/")
        && !relative.contains("/cache/")
        && !relative.endsWith(".lock");
  }

  /** The compared files under {@code dir} by relative path, with their bytes. */
  static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(p).toString();
        if (compared(rel)) {
          out.put(rel, Files.readAllBytes(p));
        }
      }
    }
    return out;
  }

  /** {@code got} has exactly the files of the local sweep {@code want}, with their bytes. */
  static void assertSameFiles(Map<String, byte[]> want, Map<String, byte[]> got)
      throws IOException {
    assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
    for (Map.Entry<String, byte[]> e : want.entrySet()) {
      String f = e.getKey();
      if (f.endsWith("results.json")) {
        assertThat(stable(got.get(f))).as(f).isEqualTo(stable(e.getValue()));
      } else {
        assertThat(got.get(f)).as(f).isEqualTo(e.getValue());
      }
    }
  }
}
