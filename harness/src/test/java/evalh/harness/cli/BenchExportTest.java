package evalh.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.engine.checkpoint.Checkpoint;
import evalh.engine.checkpoint.DType;
import evalh.engine.model.Transformer;
import evalh.engine.runtime.Runtimes;
import evalh.engine.runtime.TensorRuntime;
import evalh.engine.scoring.Progress;
import evalh.engine.scoring.TokenRequest;
import evalh.engine.scoring.TokenScorer;
import evalh.harness.TestCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code evalh bench --export DIR} writes what bench/hf_baseline.py reads: the checkpoint,
 * fewshot.jsonl and rolling.jsonl (each row's seq-len+1 tokens and evalh's summed log-likelihood of
 * tokens[1:]).
 */
class BenchExportTest {
  @TempDir Path tmp;

  @Test
  void exportWritesRollingRowsWithTheirLoglikelihoods() throws Exception {
    Path dir = tmp.resolve("export");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = TestCli.of(new BenchCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int vocab = TinyBench.VOCAB;
    int seqLen = 24;
    int rc =
        cl.execute(
            TinyBench.args(
                "--workload",
                "rolling,fewshot",
                "--rows",
                "3",
                "--seq-len",
                String.valueOf(seqLen),
                "--subjects",
                "1",
                "--questions",
                "2",
                "--shots-tokens",
                "8",
                "--question-tokens",
                "4",
                "--export",
                dir.toString()));
    assertThat(rc).as(err.toString()).isZero();
    // CPU: no GPU memory line (gpu-check.sh's check 4 greps for it on CUDA only).
    assertThat(out.toString()).doesNotContain("peak GPU");
    assertThat(dir.resolve("model.safetensors")).exists();
    assertThat(dir.resolve("config.json")).exists();
    assertThat(dir.resolve("fewshot.jsonl")).exists();

    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(dir.resolve("rolling.jsonl"));
    assertThat(lines).hasSize(3);
    List<int[]> rows = new ArrayList<>();
    double[] exported = new double[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      JsonNode o = json.readTree(lines.get(i));
      assertThat(o.size()).isEqualTo(2);
      JsonNode t = o.path("tokens");
      assertThat(t.size()).isEqualTo(seqLen + 1);
      int[] ids = new int[t.size()];
      for (int j = 0; j < ids.length; j++) {
        assertThat(t.get(j).isInt()).isTrue();
        ids[j] = t.get(j).asInt();
        assertThat(ids[j]).isBetween(0, vocab - 1);
      }
      rows.add(ids);
      exported[i] = o.path("loglikelihood").asDouble();
      // seq-len random tokens over a vocabulary of 256 under a random model: about -ln(256) each
      assertThat(exported[i] / seqLen).isBetween(-2 * Math.log(vocab), -0.5 * Math.log(vocab));
    }
    assertThat(rows.get(0)).isNotEqualTo(rows.get(1));

    // Each exported value belongs to its own row of the exported checkpoint: rescored here one
    // row at a time (no batching with the others), as hf_baseline.py compares them.
    try (Checkpoint ckpt = Checkpoint.open(dir);
        TensorRuntime<?> rt = Runtimes.open(null, "cpu", "float32", DType.BF16, System.err)) {
      Transformer<?> model = Transformer.load(ckpt, rt);
      for (int i = 0; i < rows.size(); i++) {
        int[] ids = rows.get(i);
        TokenRequest r =
            new TokenRequest(new int[] {ids[0]}, Arrays.copyOfRange(ids, 1, ids.length), false);
        double ll =
            new TokenScorer(model, seqLen, 4096, false)
                .score(List.of(r), Progress.NONE)
                .get(0)
                .sum();
        assertThat(exported[i]).as("row %d", i).isCloseTo(ll, within(1e-3));
      }
    }
  }

  /** Reliability: with several dtypes, --export silently kept the last one's values. */
  @Test
  void exportWithSeveralDtypesIsAUsageError() {
    for (String[] dtypes : new String[][] {{"--dtypes", "float32,bfloat16"}, {}}) {
      String[] args = new String[dtypes.length + 2];
      System.arraycopy(dtypes, 0, args, 0, dtypes.length);
      args[dtypes.length] = "--export";
      args[dtypes.length + 1] = tmp.resolve("x").toString();
      String[] r = TestCli.run(new BenchCommand(), args);
      assertThat(r[0]).as("%s", List.of(args)).isEqualTo("2");
      assertThat(r[2]).contains("--export").contains("one --dtypes entry");
      assertThat(tmp.resolve("x")).doesNotExist();
    }
  }

  @Test
  void dtypeAndDtypesTogetherAreAUsageError() {
    String[] r =
        TestCli.run(new BenchCommand(), "--dtype", "float32", "--dtypes", "float32,bfloat16");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("give --dtype or --dtypes, not both");
  }

  /** B7: --write-checkpoint overwrote an existing checkpoint's config, tokenizer and weights. */
  @Test
  void writeCheckpointRefusesANonEmptyFolder() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    Files.writeString(dir.resolve("config.json"), "{\"mine\": true}");
    String[] r =
        TestCli.run(
            new BenchCommand(),
            "--hidden",
            "32",
            "--layers",
            "1",
            "--heads",
            "4",
            "--kv-heads",
            "2",
            "--intermediate",
            "64",
            "--vocab",
            "256",
            "--write-checkpoint",
            dir.toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("not an empty folder");
    assertThat(Files.readString(dir.resolve("config.json"))).isEqualTo("{\"mine\": true}");
    try (var s = Files.list(dir)) {
      assertThat(s.count()).isEqualTo(1);
    }
  }

  /** bench --workload fingerprint: both opens agree and the output names the timings. */
  @Test
  void fingerprintWorkloadTimesHashedAndCachedOpens() throws Exception {
    Path dir = tmp.resolve("small");
    String[] w =
        TestCli.run(
            new BenchCommand(),
            "--hidden",
            "32",
            "--layers",
            "1",
            "--heads",
            "4",
            "--kv-heads",
            "2",
            "--intermediate",
            "64",
            "--vocab",
            "256",
            "--write-checkpoint",
            dir.toString());
    assertThat(w[0]).as(w[2]).isEqualTo("0");
    String[] r =
        TestCli.run(new BenchCommand(), "--ckpt", dir.toString(), "--workload", "fingerprint");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    try (Checkpoint c = Checkpoint.open(dir)) {
      assertThat(r[1]).contains("fingerprint " + c.fingerprint()).contains("cached");
    }
  }
}
