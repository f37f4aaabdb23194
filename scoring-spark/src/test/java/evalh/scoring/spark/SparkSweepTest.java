package evalh.scoring.spark;

import static evalh.scoring.spark.SweepRuns.args;
import static evalh.scoring.spark.SweepRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.engine.scoring.DemoCopies;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evalh run --engine spark --master local[2]} against the local sweep of the same
 * checkpoints (the oracle: one checkpoint after the other in this JVM, no Spark): two perturbed
 * copies of the demo model and a truncated third one, two tasks. Every file of every step folder
 * must be the local sweep's bytes, except results.json's timing and this-process fields.
 */
class SparkSweepTest {
  private static final ObjectMapper JSON = SweepRuns.JSON;
  @TempDir Path tmp;

  private static void assertSameAsLocal(Path local, Path spark) throws IOException {
    Map<String, byte[]> want = SweepRuns.files(local);
    assertThat(want).containsKeys("mix/1/results.json", "mix/20/results.json");
    SweepRuns.assertSameFiles(want, SweepRuns.files(spark));
  }

  @Test
  void sparkSweepWritesTheLocalSweepsBytesAndARetriedUnitToo() throws Exception {
    Path ckpts = tmp.resolve("ckpts/mix");
    DemoCopies.perturbed(ckpts.resolve("step-1"), 1);
    DemoCopies.perturbed(ckpts.resolve("step-20"), 2);
    Path bad = DemoCopies.perturbed(ckpts.resolve("step-300"), 3);
    Path shard = bad.resolve("model-00002-of-00002.safetensors");
    byte[] b = Files.readAllBytes(shard);
    Files.write(shard, java.util.Arrays.copyOf(b, b.length / 2)); // a truncated upload
    List<String> common = SweepRuns.sweep(ckpts, "--batch-tokens", "4096");
    Path local = tmp.resolve("local");
    StringWriter lerr = new StringWriter();
    assertThat(run(new StringWriter(), lerr, args(common, "-o", local.toString())))
        .as(lerr.toString())
        .isEqualTo(1);

    Path spark = tmp.resolve("spark");
    List<String> onSpark =
        args(common, "--engine", "spark", "--master", "local[2]", "-o", spark.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(run(out, err, onSpark)).as(err.toString()).isEqualTo(1);
    assertThat(err.toString())
        .contains("spark run: 3 checkpoint(s) as 3 task(s) on local[2]")
        .contains("mix@300")
        .contains("model-00002-of-00002");
    assertThat(out.toString())
        .contains("[1/3] mix@1", "[2/3] mix@20")
        .contains("3 checkpoint(s): 2 scored, 0 skipped (done already), 1 failed");
    assertThat(out.toString().indexOf("[1/3] mix@1")).isLessThan(out.toString().indexOf("[2/3]"));
    assertThat(spark.resolve("mix/300")).doesNotExist();
    assertSameAsLocal(local, spark);
    JsonNode r20 = JSON.readTree(spark.resolve("mix/20/results.json").toFile());
    assertThat(r20.get("step").asLong()).isEqualTo(20);
    assertThat(r20.at("/results/wikitext-2/bits_per_byte,none").asDouble())
        .isNotEqualTo(
            JSON.readTree(spark.resolve("mix/1/results.json").toFile())
                .at("/results/wikitext-2/bits_per_byte,none")
                .asDouble());

    // What a task killed mid-unit leaves: no results.json, a request cache with a torn last line.
    // The retry (here: the same command again) resumes and writes the same bytes; the finished
    // checkpoint is skipped by its fingerprint.
    Files.delete(spark.resolve("mix/20/results.json"));
    Path cache = spark.resolve("mix/20/cache/requests.jsonl");
    byte[] c = Files.readAllBytes(cache);
    Files.write(cache, java.util.Arrays.copyOf(c, c.length / 2 + 3));
    StringWriter out2 = new StringWriter();
    StringWriter err2 = new StringWriter();
    assertThat(run(out2, err2, onSpark)).as(err2.toString()).isEqualTo(1);
    assertThat(err2.toString())
        .contains("[1/3] mix@1 (" + ckpts.resolve("step-1") + "): done already")
        .contains("resuming: dropped 1 incomplete line(s)");
    assertThat(out2.toString()).contains("1 scored, 1 skipped (done already), 1 failed");
    assertSameAsLocal(local, spark);
    JsonNode resumed = JSON.readTree(spark.resolve("mix/20/results.json").toFile());
    assertThat(resumed.at("/evalh/this_run/cache_hits").asInt()).isPositive();
  }

  @Test
  void batchTokensAutoIsResolvedOnceOnTheDriverForEveryUnit() throws Exception {
    Path ckpts = tmp.resolve("ckpts/mix");
    DemoCopies.perturbed(ckpts.resolve("step-1"), 1);
    DemoCopies.perturbed(ckpts.resolve("step-20"), 2);
    List<String> common = SweepRuns.sweep(ckpts);
    Path spark = tmp.resolve("spark");
    StringWriter err = new StringWriter();
    assertThat(
            run(
                new StringWriter(),
                err,
                args(
                    common,
                    "--batch-tokens",
                    "auto",
                    "--engine",
                    "spark",
                    "--master",
                    "local[2]",
                    "-o",
                    spark.toString())))
        .as(err.toString())
        .isEqualTo(0);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "--batch-tokens auto resolved once on the driver to ([0-9]+) tokens")
            .matcher(err.toString());
    assertThat(m.find()).as(err.toString()).isTrue();
    String n = m.group(1);
    for (String step : List.of("1", "20")) {
      JsonNode r = JSON.readTree(spark.resolve("mix/" + step + "/results.json").toFile());
      assertThat(r.at("/evalh/engine/batch_tokens").asText()).isEqualTo(n);
      assertThat(r.at("/evalh/engine/batch_tokens_auto").asBoolean()).isFalse();
    }
    // the oracle: the local sweep with that number
    Path local = tmp.resolve("local");
    StringWriter lerr = new StringWriter();
    assertThat(
            run(
                new StringWriter(),
                lerr,
                args(common, "--batch-tokens", n, "-o", local.toString())))
        .as(lerr.toString())
        .isEqualTo(0);
    assertSameAsLocal(local, spark);
  }

  @Test
  void usageErrorsOfTheEngineOptions() throws Exception {
    Path ckpts = tmp.resolve("ckpts/mix");
    DemoCopies.perturbed(ckpts.resolve("step-1"), 1);
    List<String> common = List.of("--task", "mmlu-anatomy", "--sample-data");
    StringWriter err = new StringWriter();
    assertThat(
            run(
                new StringWriter(),
                err,
                args(common, "--ckpt", ckpts.resolve("step-1").toString(), "--engine", "spark")))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--engine spark spreads the checkpoints of a sweep");
    err = new StringWriter();
    assertThat(run(new StringWriter(), err, args(common, "--ckpt", "demo", "--master", "local[2]")))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--master applies to --engine spark");
    err = new StringWriter();
    assertThat(
            run(
                new StringWriter(),
                err,
                args(
                    common,
                    "--ckpt",
                    ckpts.toString(),
                    "--engine",
                    "spark",
                    "-o",
                    "s3a://bucket/evals")))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("--output s3a://bucket/evals: the spark engine cannot write there");
    err = new StringWriter();
    assertThat(
            run(
                new StringWriter(),
                err,
                args(common, "--ckpt", ckpts.toString(), "--engine", "flink")))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("--engine flink: no such engine in this build")
        .containsPattern("available: local, .*spark");
  }

  @Test
  void eachTaskAsksForOneGpuAndUsesTheOneSparkAssignedIt() {
    Map<String, String[]> gpu3 = Map.of("gpu", new String[] {"3"});
    assertThat(SweepJob.device("auto", gpu3)).isEqualTo("cuda:3");
    assertThat(SweepJob.device("cuda", gpu3)).isEqualTo("cuda:3");
    assertThat(SweepJob.device("cuda:0", gpu3)).isEqualTo("cuda:3");
    assertThat(SweepJob.device("cpu", gpu3)).isNull();
    assertThat(SweepJob.device("auto", Map.of())).isNull();
    assertThat(SweepJob.device("auto", Map.of("gpu", new String[0]))).isNull();

    org.apache.spark.SparkConf conf = new org.apache.spark.SparkConf(false);
    assertThat(SweepJob.gpuPerTask(conf)).isEmpty();
    conf.set("spark.executor.resource.gpu.amount", "4");
    assertThat(SweepJob.gpuPerTask(conf)).containsEntry("spark.task.resource.gpu.amount", "1");
    conf.set("spark.task.resource.gpu.amount", "0.5");
    assertThat(SweepJob.gpuPerTask(conf)).isEmpty();
  }
}
