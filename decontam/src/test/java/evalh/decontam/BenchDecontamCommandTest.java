package evalh.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.decontam.cli.BenchDecontamCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench-decontam --threads 1,2}: each index built once per thread count, in one run. */
class BenchDecontamCommandTest {
  @TempDir Path tmp;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cl = new CommandLine(new BenchDecontamCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void aThreadListBuildsEveryIndexOncePerCountAndReportsTheScaling() throws Exception {
    Path work = tmp.resolve("work");
    int rc =
        run(
            "--work",
            work.toString(),
            "--size-gb",
            "0.002",
            "--items",
            "300",
            "--threads",
            "2,1",
            "--strides",
            "1",
            "--windows",
            "4",
            "--compare-mb",
            "0",
            "--no-scan");
    assertThat(rc).as(out + "\n" + err).isZero();
    JsonNode res = new ObjectMapper().readTree(work.resolve("bench-decontam.json").toFile());
    // the checks run with the largest count
    assertThat(res.get("threads").asInt()).isEqualTo(2);
    assertThat(res.get("builds")).hasSize(2);
    for (JsonNode b : res.get("builds")) {
      JsonNode runs = b.get("thread_scaling");
      assertThat(runs).as(b.toString()).hasSize(2);
      // ascending, whatever order the option gave
      assertThat(runs.get(0).get("threads").asInt()).isEqualTo(1);
      assertThat(runs.get(1).get("threads").asInt()).isEqualTo(2);
      for (JsonNode r : runs) {
        double secs = r.get("build_seconds").asDouble();
        double gbh = r.get("gb_per_hour").asDouble();
        assertThat(secs).isPositive();
        // the rates are the corpus bytes over the run's own time
        assertThat(gbh).isCloseTo(res.get("corpus_bytes").asLong() / 1e9 / (secs / 3600), pct());
        assertThat(r.get("gb_per_hour_per_thread").asDouble())
            .isCloseTo(gbh / r.get("threads").asInt(), pct());
      }
      JsonNode two = runs.get(1);
      assertThat(two.get("speedup_vs_1_threads").asDouble())
          .isCloseTo(
              runs.get(0).get("build_seconds").asDouble() / two.get("build_seconds").asDouble(),
              pct());
      assertThat(two.get("cpu_vs_1_threads").asDouble()).isPositive();
      assertThat(runs.get(0).has("speedup_vs_1_threads")).isFalse();
      // the figures of the build the checks used are the last count's
      assertThat(b.get("build_seconds").asDouble()).isEqualTo(two.get("build_seconds").asDouble());
      assertThat(b.get("planted_found").asInt()).isEqualTo(res.get("planted").asInt());
    }
    assertThat(res.at("/builds/1/identical_to_stride1").asBoolean()).isTrue();
    assertThat(out.toString())
        .contains("stride 1, 1 thread(s): build", "stride 1, 2 thread(s): build")
        .contains("window 4, 2 thread(s): build", "the 1-thread build by wall clock");
  }

  @Test
  void oneThreadCountReportsNoScaling() throws Exception {
    Path work = tmp.resolve("work1");
    assertThat(
            run(
                "--work",
                work.toString(),
                "--size-gb",
                "0.001",
                "--items",
                "100",
                "--strides",
                "1",
                "--windows",
                "4",
                "--compare-mb",
                "0",
                "--no-scan"))
        .as(out + "\n" + err)
        .isZero();
    JsonNode res = new ObjectMapper().readTree(work.resolve("bench-decontam.json").toFile());
    assertThat(res.get("threads").asInt()).isEqualTo(1);
    assertThat(res.at("/builds/0").has("thread_scaling")).isFalse();
    assertThat(out.toString()).doesNotContain("thread(s): build");
  }

  @Test
  void aThreadCountBelowOneIsAUsageError() throws Exception {
    Path work = tmp.resolve("work0");
    assertThat(run("--work", work.toString(), "--threads", "1,0")).isEqualTo(2);
    assertThat(err.toString()).contains("--threads", "at least 1");
    assertThat(Files.exists(work)).isFalse();
  }

  private static org.assertj.core.data.Percentage pct() {
    return org.assertj.core.data.Percentage.withPercentage(1e-6);
  }
}
