package evalh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evalh jar does not bundle Spark (scope provided): {@code decontam --engine spark} and {@code
 * run --engine spark} on a class path without it fail with exit 1 and say how to get it, and an
 * unknown engine is named.
 */
class SparkEngineWithoutSparkTest {
  @TempDir Path tmp;

  private int run(StringWriter err, String... args) {
    return Main.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
  }

  @Test
  void sparkEngineWithoutSparkExplainsHowToGetIt() throws Exception {
    assertThat(getClass().getClassLoader().getResource("org/apache/spark/SparkContext.class"))
        .as("this module's test class path has no Spark")
        .isNull();
    Path corpus = Files.writeString(tmp.resolve("c.jsonl"), "{\"text\":\"some words here\"}\n");
    Path items =
        Files.writeString(
            tmp.resolve("items.jsonl"),
            "{\"task\":\"t\",\"doc_id\":0,\"question\":\"q\",\"choices\":[\"a\",\"b\"],\"gold\":0}\n");
    String[] common = {
      "decontam",
      "--items",
      items.toString(),
      "--corpus",
      corpus.toString(),
      "--out",
      tmp.resolve("out").toString(),
      "--engine"
    };
    StringWriter err = new StringWriter();
    int rc = run(err, concat(common, "spark"));
    assertThat(rc).isEqualTo(1);
    assertThat(err.toString())
        .contains("--engine spark needs Apache Spark 4.x on the class path")
        .contains("spark-submit --class evalh.cli.Main");

    StringWriter err2 = new StringWriter();
    assertThat(run(err2, concat(common, "flink"))).isEqualTo(1);
    assertThat(err2.toString()).contains("no decontamination engine 'flink'", "local, spark");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void runOnSparkWithoutSparkExplainsHowToGetIt() throws Exception {
    Files.createDirectories(tmp.resolve("ckpts/mix/step-1"));
    Path out = tmp.resolve("runs");
    StringWriter err = new StringWriter();
    int rc =
        run(
            err,
            "run",
            "--task",
            "mmlu-anatomy",
            "--sample-data",
            "--ckpt",
            tmp.resolve("ckpts/mix").toString(),
            "--engine",
            "spark",
            "-o",
            out.toString());
    assertThat(rc).as(err.toString()).isEqualTo(1);
    assertThat(err.toString())
        .contains("--engine spark needs Apache Spark 4.x on the class path")
        .contains("'Scoring on a Spark cluster'");
    assertThat(out).doesNotExist();
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }
}
