package evalh.decontam.paraphrase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.decontam.cli.DecontamCommand;
import evalh.decontam.cli.IndexCommand;
import evalh.decontam.schema.DecontamJson;
import evalh.decontam.schema.DirtyLabels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code evalh index --paraphrase} and {@code evalh decontam --paraphrase} end to end on the
 * rephrase set's corpus: the paraphrase object of every item, its window provenance checked against
 * the corpus file itself, per-task counts, decontam.md's side-by-side suspects, the schema reader,
 * the threshold override, and the usage errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParaphraseCommandTest {
  Path tmp;
  Path corpus;
  Path items;
  RephraseSet set;
  StringWriter out;
  StringWriter err;

  @BeforeAll
  void setUp(@TempDir Path dir) throws Exception {
    tmp = dir;
    set = RephraseSet.load();
    corpus = set.writeCorpus(tmp.resolve("corpus"));
    items = set.writeItems(tmp.resolve("items.jsonl"));
  }

  int run(Object cmd, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cl = new CommandLine(cmd);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void indexThenDecontamWritesThePassAndReusesTheWindowIndex() throws Exception {
    Path index = tmp.resolve("idx");
    assertThat(
            run(
                new IndexCommand(),
                "--corpus",
                corpus.toString(),
                "--out",
                index.toString(),
                "--paraphrase",
                "--threads",
                "1"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("window index:");
    assertThat(
            Files.isRegularFile(index.resolve("paraphrase").resolve(WindowIndexState.MIRROR_FILE)))
        .isTrue();

    Path report = tmp.resolve("report");
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                index.toString(),
                "--items",
                items.toString(),
                "--paraphrase",
                "--out",
                report.toString(),
                "--threads",
                "1"))
        .as(err.toString())
        .isZero();
    // built once: the decontam run found every file already in the window index
    assertThat(out.toString()).contains("already in the window index, unchanged: skipped");
    assertThat(out.toString()).contains("paraphrase suspects");

    JsonNode root = new ObjectMapper().readTree(report.resolve("decontam.json").toFile());
    assertThat(root.path("schema").asText()).isEqualTo(DecontamJson.SCHEMA);
    assertThat(root.path("settings").path("paraphrase").path("target_fpr").asDouble())
        .isEqualTo(0.01);
    assertThat(root.at("/settings/paraphrase/candidate_min_share").asDouble()).isEqualTo(0.2);
    int suspects = 0;
    int positivesFlagged = 0;
    Map<String, List<Integer>> labelsByTask = new LinkedHashMap<>();
    int k = 0;
    for (RephraseSet.Labelled l : set.items) {
      labelsByTask.computeIfAbsent(l.subject(), x -> new ArrayList<>()).add(k++);
    }
    for (Map.Entry<String, JsonNode> t : root.path("tasks").properties()) {
      JsonNode task = t.getValue();
      double threshold = task.path("paraphrase").path("threshold").asDouble();
      assertThat(task.path("paraphrase").path("estimated_fpr").isNumber()).isTrue();
      int taskSuspects = 0;
      List<Integer> clean = new ArrayList<>();
      task.path("clean_doc_ids").forEach(n -> clean.add(n.asInt()));
      for (JsonNode it : task.path("items")) {
        JsonNode p = it.path("paraphrase");
        assertThat(p.path("score").asDouble()).isBetween(0.0, 1.0);
        assertThat(p.path("threshold").asDouble()).isEqualTo(threshold);
        assertThat(p.path("suspect").asBoolean()).isEqualTo(p.path("score").asDouble() > threshold);
        assertThat(clean.contains(it.path("doc_id").asInt()))
            .isEqualTo(!p.path("suspect").asBoolean() && !it.path("dirty").asBoolean());
        // no window holds a fifth of a clean item's weight: no candidate, score 0
        assertThat(p.path("windows").size()).isBetween(p.path("score").asDouble() > 0 ? 1 : 0, 3);
        assertThat(p.path("windows").isEmpty()).isEqualTo(p.path("score").asDouble() == 0);
        for (JsonNode w : p.path("windows")) {
          checkProvenance(w);
        }
        if (p.path("suspect").asBoolean()) {
          taskSuspects++;
          int labelled = labelsByTask.get(t.getKey()).get(it.path("doc_id").asInt());
          positivesFlagged += set.items.get(labelled).positive() ? 1 : 0;
        }
      }
      assertThat(task.path("paraphrase").path("suspects").asInt()).isEqualTo(taskSuspects);
      suspects += taskSuspects;
    }
    assertThat(root.path("summary").path("paraphrase").path("suspects").asInt())
        .isEqualTo(suspects);
    assertThat(positivesFlagged).isGreaterThan(48);

    String md = Files.readString(report.resolve("decontam.md"), StandardCharsets.UTF_8);
    assertThat(md).contains("## Paraphrase pass").contains("estimated FPR");
    assertThat(md).contains("abstract\\_algebra: paraphrase suspects");
    assertThat(md).contains("| doc | score | item (question; gold answer) | best window |");

    DirtyLabels labels = DecontamJson.read(report);
    int read = 0;
    for (String t : labelsByTask.keySet()) {
      assertThat(labels.hasParaphrase(t)).isTrue();
      read += labels.suspects().get(t).size();
    }
    assertThat(read).isEqualTo(suspects);

    // a user threshold of 1 calls nothing a suspect, and its estimated FPR is 0
    Path strict = tmp.resolve("strict");
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                index.toString(),
                "--items",
                items.toString(),
                "--paraphrase",
                "--paraphrase-threshold",
                "1",
                "--out",
                strict.toString()))
        .as(err.toString())
        .isZero();
    JsonNode s = new ObjectMapper().readTree(strict.resolve("decontam.json").toFile());
    assertThat(s.path("summary").path("paraphrase").path("suspects").asInt()).isZero();
    assertThat(s.path("summary").path("paraphrase").path("estimated_fpr").asDouble()).isZero();
    assertThat(
            s.path("tasks").path("sociology").path("paraphrase").path("threshold_source").asText())
        .isEqualTo("user");
  }

  /** The window's line of its file holds its snippet, at the stated byte offset. */
  private void checkProvenance(JsonNode w) throws Exception {
    Path file = Path.of(w.path("file").asText());
    String name = file.getFileName().toString();
    List<String> lines;
    if (name.endsWith(".gz")) {
      try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
        lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
      }
    } else {
      byte[] all = Files.readAllBytes(file);
      long off = w.path("byte_offset").asLong();
      int end = (int) off;
      while (end < all.length && all[end] != '\n') {
        end++;
      }
      String atOffset = new String(all, (int) off, end - (int) off, StandardCharsets.UTF_8);
      lines = List.of(new String(all, StandardCharsets.UTF_8).split("\n"));
      assertThat(atOffset).isEqualTo(lines.get(w.path("line").asInt() - 1));
    }
    JsonNode doc = new ObjectMapper().readTree(lines.get(w.path("line").asInt() - 1));
    assertThat(doc.path("id").asText()).isEqualTo(w.path("id").asText());
    String text = doc.path("text").asText();
    assertThat(text).contains(w.path("snippet").asText());
    String[] words = text.trim().split("\\s+");
    assertThat(w.path("snippet").asText()).startsWith(words[w.path("window_offset").asInt()]);
  }

  @Test
  void encoderJoinsTheScoreThroughTheSeam() throws Exception {
    Path report = tmp.resolve("enc");
    Path ckpt = Files.createDirectories(tmp.resolve("ckpt"));
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                corpus.toString(),
                "--index-root",
                tmp.resolve("indexes").toString(),
                "--items",
                items.toString(),
                "--paraphrase",
                "--encoder",
                ckpt.toString(),
                "--out",
                report.toString()))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("encoder: bag-of-words test encoder");
    JsonNode root = new ObjectMapper().readTree(report.resolve("decontam.json").toFile());
    assertThat(root.at("/settings/paraphrase/candidate_min_share").asDouble()).isZero();
    assertThat(root.at("/settings/paraphrase/combination").asText())
        .isEqualTo("(lexical + max(0, cosine)) / 2");
    JsonNode w = root.at("/tasks/sociology/items/0/paraphrase/windows/0");
    assertThat(w.path("score").asDouble())
        .isCloseTo(
            (w.path("lexical").asDouble() + Math.max(0, w.path("cosine").asDouble())) / 2,
            org.assertj.core.api.Assertions.within(2e-6));
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                corpus.toString(),
                "--items",
                items.toString(),
                "--encoder",
                ckpt.toString(),
                "--out",
                tmp.resolve("e2").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--encoder needs --paraphrase");
  }

  @Test
  void usageErrors() {
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                corpus.toString(),
                "--items",
                items.toString(),
                "--paraphrase-threshold",
                "0.5",
                "--out",
                tmp.resolve("x").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("need --paraphrase");
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                corpus.toString(),
                "--items",
                items.toString(),
                "--paraphrase",
                "--paraphrase-threshold",
                "1.5",
                "--out",
                tmp.resolve("y").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("[0, 1]");
  }
}
