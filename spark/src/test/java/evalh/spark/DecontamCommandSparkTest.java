package evalh.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.decontam.GeneratedCorpus;
import evalh.decontam.cli.DecontamCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code evalh decontam --engine spark} (found through the engine service registry, joining the
 * running session) writes the same per-task results as {@code --engine local}, in both modes.
 */
class DecontamCommandSparkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private JsonNode run(String... args) throws Exception {
    StringWriter sw = new StringWriter();
    CommandLine cl = new CommandLine(new DecontamCommand());
    cl.setOut(new PrintWriter(sw));
    cl.setErr(new PrintWriter(sw));
    int rc = cl.execute(args);
    assertThat(rc).as(sw.toString()).isZero();
    int i = List.of(args).indexOf("--out");
    return JSON.readTree(Path.of(args[i + 1]).resolve("decontam.json").toFile());
  }

  @Test
  void sparkEngineReportsEqualTheLocalEngine() throws Exception {
    SparkTestSession.get();
    GeneratedCorpus gc = GeneratedCorpus.generate(tmp, 6);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String q = i % 2 == 0 ? gc.docs().get(i * 7) : "an item nobody wrote down " + i;
      lines.add(
          JSON.writeValueAsString(
              Map.of(
                  "task",
                  "t" + (i % 2),
                  "doc_id",
                  i,
                  "question",
                  q,
                  "choices",
                  List.of("cell", "acid", "energy", "x2"),
                  "gold",
                  i % 4)));
    }
    Path items = Files.write(tmp.resolve("items.jsonl"), lines);
    String corpus = gc.dir().toString();
    List<String> common =
        List.of(
            "--items", items.toString(), "--corpus", corpus, "--n", "6", "--boilerplate-cap", "3");
    JsonNode local =
        run(
            concat(
                common,
                "--out",
                tmp.resolve("r-local").toString(),
                "--index-root",
                tmp.resolve("idx").toString()));
    JsonNode scan =
        run(
            concat(
                common,
                "--engine",
                "spark",
                "--master",
                "local[2]",
                "--out",
                tmp.resolve("r-scan").toString()));
    JsonNode shards =
        run(
            concat(
                common,
                "--engine",
                "spark",
                "--mode",
                "index",
                "--shards-out",
                tmp.resolve("shards").toString(),
                "--out",
                tmp.resolve("r-index").toString()));
    assertThat(local.get("summary").get("n_dirty").asInt()).isBetween(25, 35);
    for (JsonNode other : List.of(scan, shards)) {
      assertThat(other.get("tasks")).isEqualTo(local.get("tasks"));
      assertThat(other.get("summary")).isEqualTo(local.get("summary"));
    }
    assertThat(scan.get("index").get("engine").asText()).startsWith("spark 4.");
    assertThat(scan.get("index").get("documents").asLong()).isEqualTo(gc.docs().size());
    assertThat(shards.get("index").get("shards").asInt()).isEqualTo(2);
    // issue 16 item 9: the index-mode report names the engine that built the shards
    assertThat(shards.get("index").get("engine").asText())
        .startsWith("spark 4.")
        .contains("local[2]");
    assertThat(local.get("index").get("engine").asText()).isEqualTo("local");
    assertThat(local.get("skipped_checks")).isEmpty();
    assertThat(shards.get("skipped_checks")).isEmpty();
    // the shared session is still usable afterwards (the command did not stop it)
    assertThat(SparkTestSession.context().parallelize(List.of(1, 2, 3)).count()).isEqualTo(3);
  }

  /**
   * Reliability #3: a Spark scan that read no document (a wrong --field here) said "documents: 0"
   * and called every item clean with exit 0; the local engine failed on the same input. Reliability
   * #4: a truncated .gz read by the scan passed as complete.
   */
  @Test
  void scanThatReadsNoDocumentOrATruncatedFileFails() throws Exception {
    SparkTestSession.get();
    GeneratedCorpus gc = GeneratedCorpus.generate(tmp, 2);
    Path items =
        Files.write(
            tmp.resolve("items.jsonl"),
            List.of(
                JSON.writeValueAsString(
                    Map.of(
                        "task",
                        "t",
                        "doc_id",
                        0,
                        "question",
                        gc.docs().get(3),
                        "choices",
                        List.of("a", "b"),
                        "gold",
                        0))));
    StringWriter sw = new StringWriter();
    CommandLine cl = new CommandLine(new DecontamCommand());
    cl.setOut(new PrintWriter(sw, true));
    cl.setErr(new PrintWriter(sw, true));
    int rc =
        cl.execute(
            "--items",
            items.toString(),
            "--corpus",
            gc.dir().toString(),
            "--field",
            "no_such_field",
            "--engine",
            "spark",
            "--master",
            "local[2]",
            "--out",
            tmp.resolve("r0").toString());
    assertThat(rc).isEqualTo(1);
    assertThat(sw.toString()).contains("empty corpus", "no document");
    assertThat(tmp.resolve("r0/decontam.json")).doesNotExist();
    // a truncated gzip beside the readable files
    Path cut = Files.createDirectories(tmp.resolve("cut"));
    StringBuilder sb = new StringBuilder();
    java.util.Random rnd = new java.util.Random(3);
    for (int i = 0; i < 3000; i++) {
      sb.append("{\"text\": \"noise ").append(rnd.nextLong()).append("\"}\n");
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
      gz.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] all = bytes.toByteArray();
    Path gzFile = cut.resolve("c.jsonl.gz");
    Files.write(gzFile, java.util.Arrays.copyOf(all, all.length / 2));
    Files.writeString(cut.resolve("d.jsonl"), "{\"text\": \"one readable document here\"}\n");
    sw.getBuffer().setLength(0);
    rc =
        cl.execute(
            "--items",
            items.toString(),
            "--corpus",
            cut.toString(),
            "--engine",
            "spark",
            "--master",
            "local[2]",
            "--out",
            tmp.resolve("r1").toString());
    assertThat(rc).isEqualTo(1);
    assertThat(sw.toString()).contains("could not be read to the end", "c.jsonl.gz", "at byte");
    JsonNode partial =
        run(
            "--items",
            items.toString(),
            "--corpus",
            cut.toString(),
            "--engine",
            "spark",
            "--master",
            "local[2]",
            "--allow-partial",
            "--out",
            tmp.resolve("r2").toString());
    assertThat(partial.at("/summary/partial").asBoolean()).isTrue();
    assertThat(partial.at("/summary/truncated_files/0").asText()).contains("c.jsonl.gz");
    assertThat(partial.at("/index/file_stats")).hasSize(2);
  }

  private static String[] concat(List<String> a, String... b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(b));
    return out.toArray(new String[0]);
  }
}
