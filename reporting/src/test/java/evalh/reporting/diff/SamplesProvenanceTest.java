package evalh.reporting.diff;

import static evalh.reporting.RunFixture.correct;
import static evalh.reporting.RunFixture.flip;
import static evalh.reporting.diff.DiffCommandTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.reporting.CliRun;
import evalh.reporting.RunFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * diff pairs per-item samples only with the results.json they belong to: evalh records the
 * checkpoint fingerprint and the task config hash in both, and samples left in the directory by a
 * run of another checkpoint are not paired.
 */
class SamplesProvenanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int[] ANATOMY = correct(100, 60);
  @TempDir Path tmp;

  /** Records provenance in results.json and stamps every samples line with the given values. */
  private static void stamp(Path run, String resultsFp, String samplesFp) throws Exception {
    Path results = run.resolve("results.json");
    ObjectNode r = (ObjectNode) JSON.readTree(results.toFile());
    ObjectNode e = (ObjectNode) r.get("evalh");
    e.put("checkpoint_fingerprint", resultsFp);
    e.putObject("task_hashes").put("mmlu-anatomy", "hash-anatomy");
    JSON.writeValue(results.toFile(), r);
    Path samples = run.resolve("samples_mmlu-anatomy.jsonl");
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(samples)) {
      ObjectNode s = (ObjectNode) JSON.readTree(line);
      s.put("checkpoint_fingerprint", samplesFp);
      s.put("task_hash", "hash-anatomy");
      out.add(s.toString());
    }
    Files.write(samples, out);
  }

  private Path candidate(String name) {
    return RunFixture.of("/ckpts/" + name)
        .mc("mmlu-anatomy", flip(ANATOMY, 0, 1))
        .writeTo(tmp.resolve(name));
  }

  @Test
  void samplesOfAnotherCheckpointAreNotPaired() throws Exception {
    Path a = RunFixture.of("/ckpts/a").mc("mmlu-anatomy", ANATOMY).writeTo(tmp.resolve("a"));
    stamp(a, "sha256:a", "sha256:a");
    Path b = candidate("b");
    stamp(b, "sha256:b", "sha256:old-checkpoint"); // left by an earlier run into b's directory
    CliRun r = CliRun.of(new DiffCommand(), a.toString(), b.toString());
    assertThat(row(r.out(), "mmlu-anatomy", "acc ↑")[7]).startsWith("unpaired z");
    assertThat(r.out())
        .contains("samples_mmlu-anatomy.jsonl in b belongs to another run")
        .contains("checkpoint fingerprint or task config differs from results.json");
  }

  @Test
  void samplesOfTheSameRunArePaired() throws Exception {
    Path a = RunFixture.of("/ckpts/a").mc("mmlu-anatomy", ANATOMY).writeTo(tmp.resolve("a"));
    stamp(a, "sha256:a", "sha256:a");
    Path b = candidate("b");
    stamp(b, "sha256:b", "sha256:b");
    CliRun r = CliRun.of(new DiffCommand(), a.toString(), b.toString());
    assertThat(row(r.out(), "mmlu-anatomy", "acc ↑")[7]).startsWith("McNemar exact");
  }
}
