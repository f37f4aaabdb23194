package evalh.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Sweeps on the fake model: checkpoint folders hold a file {@code fp} (their fingerprint) and, when
 * they cannot be loaded, a file {@code corrupt}.
 */
class SweepTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Checkpoints the fake factory opened, in order. */
  private final List<String> opened = new ArrayList<>();

  private static String read(Path p) {
    try {
      return Files.readString(p).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int run(String... args) {
    EvaluationRun.EvaluatorFactory factory =
        (c, o) -> {
          Path dir = Path.of(c);
          opened.add(dir.getFileName().toString());
          if (Files.exists(dir.resolve("corrupt"))) {
            throw new IllegalArgumentException(dir + ": model.safetensors: truncated header");
          }
          FakeEvaluator f = new FakeEvaluator();
          f.fingerprint = read(dir.resolve("fp"));
          return f;
        };
    SweepRun.Fingerprints fps =
        dir -> {
          if (Files.exists(dir.resolve("corrupt"))) {
            throw new IllegalArgumentException(dir + ": model.safetensors: truncated header");
          }
          return read(dir.resolve("fp"));
        };
    CommandLine cl = new CommandLine(new RunCommand(factory, fps));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static Path ckpt(Path dir, String fp) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("fp"), fp);
    return dir;
  }

  private static JsonNode results(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("results.json").toFile());
  }

  private String[] args(Path o, String ckpt, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--task",
                "mmlu-anatomy,wikitext-2",
                "--ckpt",
                ckpt,
                "--sample-data",
                "--no-progress",
                "-o",
                o.toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void stepFolderNamesAndTokens() {
    assertThat(Sweep.step("step-1000")).isEqualTo(1000);
    assertThat(Sweep.step("step1000")).isEqualTo(1000);
    assertThat(Sweep.step("step_7")).isEqualTo(7);
    assertThat(Sweep.step("checkpoint-250")).isEqualTo(250);
    assertThat(Sweep.step("global_step_30")).isEqualTo(30);
    assertThat(Sweep.step("global_step30")).isEqualTo(30);
    assertThat(Sweep.step("step1000-tokens4B")).isEqualTo(1000);
    assertThat(Sweep.step("final")).isEqualTo(-1);
    assertThat(Sweep.step("step-")).isEqualTo(-1);
    assertThat(Sweep.step("checkpoint_250")).isEqualTo(-1);
    assertThat(Sweep.nameTokens("4", "B")).isEqualTo(4_000_000_000L);
    assertThat(Sweep.nameTokens("1.5", "T")).isEqualTo(1_500_000_000_000L);
    assertThat(Sweep.nameTokens("4194304", "")).isEqualTo(4194304L);
  }

  @Test
  void runDirectorySweepsThreeStepNamesInStepOrder() throws Exception {
    Path run = tmp.resolve("ckpts/anneal-a");
    ckpt(run.resolve("global_step_3000"), "fp-3000");
    ckpt(run.resolve("step-10"), "fp-10");
    Path mid = ckpt(run.resolve("checkpoint-200"), "fp-200");
    Files.writeString(
        mid.resolve("trainer_state.json"),
        "{\"global_step\": 200, \"num_input_tokens_seen\": 819200}");
    Files.createDirectories(run.resolve("logs")); // not a step folder: ignored
    Path o = tmp.resolve("out");
    assertThat(run(args(o, run.toString()))).as(err.toString()).isZero();
    assertThat(opened).containsExactly("step-10", "checkpoint-200", "global_step_3000");
    JsonNode r10 = results(o.resolve("anneal-a/10"));
    JsonNode r200 = results(o.resolve("anneal-a/200"));
    JsonNode r3000 = results(o.resolve("anneal-a/3000"));
    assertThat(r10.get("step").asLong()).isEqualTo(10);
    assertThat(r10.has("tokens")).as("no token count known").isFalse();
    assertThat(r200.get("step").asLong()).isEqualTo(200);
    assertThat(r200.get("tokens").asLong()).isEqualTo(819200);
    assertThat(r200.at("/evalh/sweep/tokens_source").asText()).isEqualTo("trainer_state.json");
    assertThat(r3000.get("step").asLong()).isEqualTo(3000);
    assertThat(r3000.at("/evalh/checkpoint_fingerprint").asText()).isEqualTo("fp-3000");
    assertThat(r3000.at("/evalh/sweep/run").asText()).isEqualTo("anneal-a");
    assertThat(r3000.at("/evalh/checkpoint").asText())
        .isEqualTo(run.resolve("global_step_3000").toAbsolutePath().toString());
    // the same fake model at every step: the same metrics as a single run of one checkpoint
    Path single = tmp.resolve("single");
    assertThat(
            run(
                "--task",
                "mmlu-anatomy,wikitext-2",
                "--ckpt",
                run.resolve("step-10").toString(),
                "--sample-data",
                "-o",
                single.toString()))
        .isZero();
    assertThat(r3000.get("results")).isEqualTo(results(single).get("results"));
    assertThat(results(single).has("step")).isFalse();
    assertThat(out.toString()).contains("3 checkpoint(s): 3 scored, 0 skipped");
  }

  @Test
  void tokensPerStepAndNameTokens() throws Exception {
    Path a = ckpt(tmp.resolve("ckpts/mix-30/step1000-tokens4M"), "a");
    Path b = ckpt(tmp.resolve("ckpts/mix-40/step2000"), "b");
    Path o = tmp.resolve("out");
    assertThat(run(args(o, tmp.resolve("ckpts").toString() + "/mix-*/step*"))).isZero();
    assertThat(results(o.resolve("mix-30/1000")).get("tokens").asLong()).isEqualTo(4_000_000L);
    assertThat(results(o.resolve("mix-40/2000")).has("tokens")).isFalse();
    Path o2 = tmp.resolve("out2");
    assertThat(
            run(
                args(
                    o2,
                    tmp.resolve("ckpts").toString() + "/mix-*/step*",
                    "--tokens-per-step",
                    "2048")))
        .isZero();
    assertThat(results(o2.resolve("mix-30/1000")).get("tokens").asLong()).isEqualTo(2_048_000L);
    assertThat(results(o2.resolve("mix-40/2000")).get("tokens").asLong()).isEqualTo(4_096_000L);
    assertThat(a).exists();
    assertThat(b).exists();
  }

  @Test
  void finishedCheckpointsAreSkippedByFingerprint() throws Exception {
    Path run = tmp.resolve("r");
    ckpt(run.resolve("step-1"), "one");
    Path s2 = ckpt(run.resolve("step-2"), "two");
    Path o = tmp.resolve("out");
    assertThat(run(args(o, run.toString()))).isZero();
    opened.clear();
    assertThat(run(args(o, run.toString()))).isZero();
    assertThat(opened).as("nothing loaded again").isEmpty();
    assertThat(err.toString()).contains("done already");
    // a re-saved checkpoint (new fingerprint) is scored again; its neighbour is not
    Files.writeString(s2.resolve("fp"), "two-resaved");
    assertThat(run(args(o, run.toString()))).isZero();
    assertThat(opened).containsExactly("step-2");
    assertThat(results(o.resolve("r/2")).at("/evalh/checkpoint_fingerprint").asText())
        .isEqualTo("two-resaved");
    // other settings (--limit) score every checkpoint again
    opened.clear();
    assertThat(run(args(o, run.toString(), "--limit", "1"))).isZero();
    assertThat(opened).containsExactly("step-1", "step-2");
  }

  @Test
  void aKilledAttemptsTemporaryFilesAreRemovedWhenItsCheckpointRunsAgain() throws Exception {
    Path run = tmp.resolve("r");
    ckpt(run.resolve("step-1"), "one");
    ckpt(run.resolve("step-2"), "two");
    Path o = tmp.resolve("out");
    assertThat(run(args(o, run.toString()))).isZero();
    byte[] want = Files.readAllBytes(o.resolve("r/2/samples_wikitext-2.jsonl"));
    // killed between writing the temporary files and renaming them: no results.json yet
    Files.delete(o.resolve("r/2/results.json"));
    Path t1 = Files.writeString(o.resolve("r/2/.results.json.7f3a.tmp"), "{\"results\": {");
    Path t2 = Files.writeString(o.resolve("r/2/.samples_wikitext-2.jsonl.1c.tmp"), "{\"doc_id\"");
    Path t3 = Files.writeString(o.resolve("r/2/cache/.requests.jsonl.lock.9f.tmp"), "x");
    // not evalh's: a user's dot-file, and a name evalh never writes atomically
    Path mine = Files.writeString(o.resolve("r/2/.notes.txt.1.tmp"), "mine");
    Path notOurs = Files.writeString(o.resolve("r/2/cache/.requests.jsonl.9.tmp"), "x");
    opened.clear();
    assertThat(run(args(o, run.toString()))).isZero();
    assertThat(opened).containsExactly("step-2");
    assertThat(t1).doesNotExist();
    assertThat(t2).doesNotExist();
    assertThat(t3).doesNotExist();
    assertThat(mine).exists();
    assertThat(notOurs).exists();
    assertThat(err.toString()).contains("evalh: removed " + t1 + ", left by a killed run");
    assertThat(Files.readAllBytes(o.resolve("r/2/samples_wikitext-2.jsonl"))).isEqualTo(want);
    assertThat(results(o.resolve("r/2")).at("/evalh/checkpoint_fingerprint").asText())
        .isEqualTo("two");
    try (var files = Files.list(o.resolve("r/2"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
          .containsExactly(".notes.txt.1.tmp");
    }
  }

  @Test
  void aCorruptMiddleCheckpointIsReportedAndTheSweepGoesOn() throws Exception {
    Path run = tmp.resolve("r");
    ckpt(run.resolve("step-1"), "one");
    Path bad = ckpt(run.resolve("step-2"), "two");
    Files.writeString(bad.resolve("corrupt"), "");
    ckpt(run.resolve("step-3"), "three");
    Path o = tmp.resolve("out");
    assertThat(run(args(o, run.toString()))).isEqualTo(1);
    assertThat(o.resolve("r/1/results.json")).exists();
    assertThat(o.resolve("r/3/results.json")).exists();
    assertThat(o.resolve("r/2")).as("no folder for the failed checkpoint").doesNotExist();
    assertThat(err.toString()).contains("r@2").contains("truncated header");
    assertThat(out.toString()).contains("2 scored, 0 skipped (done already), 1 failed");
    // repaired: the next run scores only it
    Files.delete(bad.resolve("corrupt"));
    opened.clear();
    assertThat(run(args(o, run.toString()))).isZero();
    assertThat(opened).containsExactly("step-2");
  }

  private int runList(Path list, Path o) {
    return run(
        "--task",
        "mmlu-anatomy",
        "--ckpt-list",
        list.toString(),
        "--sample-data",
        "-o",
        o.toString());
  }

  @Test
  void listFileAndItsErrors() throws Exception {
    ckpt(tmp.resolve("a/step-5"), "x");
    ckpt(tmp.resolve("b/step-5"), "y");
    Path list = tmp.resolve("ckpts.txt");
    Files.writeString(list, "# two mixes\na/step-5\n\nb/step-5\n");
    Path o = tmp.resolve("out");
    assertThat(runList(list, o)).isZero();
    assertThat(o.resolve("a/5/results.json")).exists();
    assertThat(o.resolve("b/5/results.json")).exists();
    Files.writeString(list, "a/step-5\nnope/step-9\n");
    assertThat(runList(list, o)).isEqualTo(2);
    assertThat(err.toString()).contains("ckpts.txt:2: nope/step-9 is not a checkpoint directory");
    Files.createDirectories(tmp.resolve("a/final"));
    Files.writeString(list, "a/final\n");
    assertThat(runList(list, o)).isEqualTo(2);
    assertThat(err.toString()).contains("ckpts.txt:1: a/final is not a step folder");
    assertThat(run(args(o, tmp.resolve("nothing-*").toString() + "/step-*"))).isEqualTo(2);
    assertThat(err.toString()).contains("matches no directory");
    ckpt(tmp.resolve("c/step-5"), "z");
    ckpt(tmp.resolve("c/step5"), "z2");
    assertThat(run(args(o, tmp.resolve("c").toString()))).isEqualTo(2);
    assertThat(err.toString()).contains("two checkpoints of run 'c' at step 5");
  }
}
