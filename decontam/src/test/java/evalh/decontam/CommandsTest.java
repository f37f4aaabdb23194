package evalh.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.core.cli.CommandProvider;
import evalh.decontam.cli.DecontamCommand;
import evalh.decontam.cli.IndexCommand;
import evalh.tasks.BenchmarkItem;
import evalh.tasks.BenchmarkItems;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandsTest {
  @TempDir Path tmp;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(Object cmd, String... args) {
    CommandLine cl = new CommandLine(cmd);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  static final String QUESTION =
      "Which of the following best explains why the sky appears blue to an observer standing on the"
          + " surface of the Earth at noon?";
  static final List<String> CHOICES =
      List.of(
          "Rayleigh scattering", "Reflection of the oceans", "Ozone absorption", "Mie scattering");

  Path corpus(String extraDoc) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("corpus"));
    List<String> a = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      a.add(
          Fixtures.line(
              "a" + i, "filler document number " + i + " about nothing in particular at all"));
    }
    a.add(
        Fixtures.line(
            "leak",
            "Quiz <script>x</script> | **" + QUESTION + "** The answer: Rayleigh scattering."));
    Fixtures.write(dir.resolve("a.jsonl"), a);
    Fixtures.write(dir.resolve("b.jsonl.zst"), List.of(Fixtures.line("b0", extraDoc)));
    return dir;
  }

  Path items() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path f = tmp.resolve("items.jsonl");
    Files.writeString(
        f,
        json.writeValueAsString(
                Map.of(
                    "task",
                    "physics",
                    "doc_id",
                    0,
                    "question",
                    QUESTION,
                    "choices",
                    CHOICES,
                    "gold",
                    0))
            + "\n"
            + json.writeValueAsString(
                Map.of(
                    "task",
                    "physics",
                    "doc_id",
                    1,
                    "question",
                    "An unrelated question about the melting point of tungsten under pressure in a lab",
                    "choices",
                    CHOICES,
                    "gold",
                    2))
            + "\n");
    return f;
  }

  @Test
  void commandsAreRegisteredThroughTheServiceLoader() {
    List<String> names = new ArrayList<>();
    for (CommandProvider p : ServiceLoader.load(CommandProvider.class)) {
      Object c = p.command();
      if (c.getClass().getPackageName().startsWith("evalh.decontam")) {
        names.add(new CommandLine(c).getCommandName());
      }
    }
    assertThat(names).containsExactlyInAnyOrder("index", "decontam", "bench-decontam");
  }

  @Test
  void helpDescribesEveryOptionAndBadUsageExitsTwo() {
    assertThat(run(new IndexCommand(), "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--corpus",
            "--out",
            "--field",
            "--id-field",
            "--n",
            "--stride",
            "--normalization",
            "--threads",
            "--ram-buffer-mb");
    assertThat(run(new DecontamCommand(), "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--task",
            "--items",
            "--data-dir",
            "--boilerplate-cap",
            "--top-docs",
            "--leak-docs",
            "--index-root",
            "--no-short-scan");
    assertThat(
            run(
                new IndexCommand(),
                "--corpus",
                tmp.toString(),
                "--out",
                tmp.resolve("i").toString(),
                "--normalization",
                "klingon"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("unknown normalization 'klingon'");
    assertThat(
            run(
                new IndexCommand(),
                "--corpus",
                tmp.resolve("missing.jsonl").toString(),
                "--out",
                tmp.resolve("i").toString()))
        .isEqualTo(2);
    assertThat(run(new DecontamCommand(), "--corpus", tmp.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("exactly one of --task or --items");
  }

  /**
   * Issue 14: outputs are ordinary files, with the permissions the process umask gives any new file
   * (they were 0600, from Files.createTempFile).
   */
  @Test
  void reportAndIndexMetadataFollowTheUmask() throws Exception {
    String plain =
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(Files.writeString(tmp.resolve("plain"), "x")));
    Path index = tmp.resolve("indexes/perm");
    assertThat(
            run(
                new IndexCommand(),
                "--corpus",
                corpus("nothing to see here").toString(),
                "--out",
                index.toString()))
        .isZero();
    Path report = tmp.resolve("reports/perm");
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                index.toString(),
                "--items",
                items().toString(),
                "--out",
                report.toString()))
        .isZero();
    for (Path f :
        List.of(
            report.resolve("decontam.json"),
            report.resolve("decontam.md"),
            index.resolve("evalh-index.json"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
          .as(f.toString())
          .isEqualTo(plain);
    }
  }

  @Test
  void winnowedIndexGivesTheStride1ReportAndSaysSo() throws Exception {
    Path corpus = corpus("nothing to see here");
    ObjectMapper json = new ObjectMapper();
    List<com.fasterxml.jackson.databind.JsonNode> items = new ArrayList<>();
    for (String w : List.of("1", "4")) {
      Path index = tmp.resolve("indexes/w" + w);
      assertThat(
              run(
                  new IndexCommand(),
                  "--corpus",
                  corpus.toString(),
                  "--out",
                  index.toString(),
                  "--winnow",
                  w))
          .as(err.toString())
          .isZero();
      assertThat(json.readTree(index.resolve("evalh-index.json").toFile()).path("window").asInt())
          .isEqualTo(Integer.parseInt(w));
      Path report = tmp.resolve("reports/w" + w);
      assertThat(
              run(
                  new DecontamCommand(),
                  "--corpus",
                  index.toString(),
                  "--items",
                  items().toString(),
                  "--out",
                  report.toString()))
          .as(err.toString())
          .isZero();
      com.fasterxml.jackson.databind.JsonNode r =
          json.readTree(report.resolve("decontam.json").toFile());
      assertThat(r.path("index").path("window").asInt()).isEqualTo(Integer.parseInt(w));
      assertThat(r.path("index").path("guaranteed_run").asInt())
          .isEqualTo(12 + Integer.parseInt(w));
      items.add(r.path("tasks").path("physics").path("items"));
    }
    assertThat(items.get(0).path(0).path("dirty").asBoolean()).isTrue();
    assertThat(items.get(1)).isEqualTo(items.get(0));
    assertThat(Files.readString(tmp.resolve("reports/w4/decontam.md"))).contains("Winnowed index");
    assertThat(
            run(
                new IndexCommand(),
                "--corpus",
                corpus.toString(),
                "--out",
                tmp.resolve("indexes/both").toString(),
                "--winnow",
                "4",
                "--stride",
                "2"))
        .isNotZero();
    assertThat(err.toString()).contains("do not combine");
  }

  @Test
  void indexThenDecontamWritesTheDocumentedReport() throws Exception {
    Path corpus = corpus("nothing to see here");
    Path index = tmp.resolve("indexes/test");
    assertThat(
            run(
                new IndexCommand(),
                "--corpus",
                corpus.toString(),
                "--out",
                index.toString(),
                "--threads",
                "2"))
        .isZero();
    assertThat(out.toString()).contains("indexed 2 file(s)", "52 documents");
    Path report = tmp.resolve("reports/r1");
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                index.toString(),
                "--items",
                items().toString(),
                "--out",
                report.toString()))
        .as(err.toString())
        .isZero();
    JsonNode j = new ObjectMapper().readTree(report.resolve("decontam.json").toFile());
    assertThat(j.get("schema").asText()).isEqualTo("evalh.decontam/1");
    assertThat(j.at("/index/n").asInt()).isEqualTo(13);
    assertThat(j.at("/index/normalization").asText()).isEqualTo("janitor/1");
    JsonNode task = j.at("/tasks/physics");
    assertThat(task.get("n_items").asInt()).isEqualTo(2);
    assertThat(task.get("n_dirty").asInt()).isEqualTo(1);
    assertThat(task.get("clean_doc_ids").toString()).isEqualTo("[1]");
    JsonNode dirty = task.get("items").get(0);
    assertThat(dirty.get("doc_id").asInt()).isZero();
    assertThat(dirty.get("dirty").asBoolean()).isTrue();
    assertThat(dirty.get("answer_leak").asBoolean()).isTrue();
    assertThat(dirty.get("llama2").toString()).isEqualTo("[\"not_clean\",\"not_dirty\"]");
    JsonNode top = dirty.get("top_documents").get(0);
    assertThat(top.get("id").asText()).isEqualTo("leak");
    assertThat(top.get("line").asInt()).isEqualTo(51);
    assertThat(top.get("file").asText()).endsWith("a.jsonl");
    String snippet = top.get("snippet").asText();
    JsonNode hl = top.get("highlights").get(0);
    assertThat(snippet.substring(hl.get(0).asInt(), hl.get(1).asInt()))
        .startsWith("**Which")
        .endsWith("noon?**");
    assertThat(task.get("items").get(1).get("dirty").asBoolean()).isFalse();
    assertThat(j.at("/groups/items.jsonl/n_dirty").asInt()).isEqualTo(1);
    String md = Files.readString(report.resolve("decontam.md"));
    assertThat(md).contains("&lt;script&gt;", "\\*\\*").doesNotContain("<script>");
    assertThat(md).contains("**answer leak**");
  }

  @Test
  void rawCorpusPathsAreIndexedOnceThenReused() throws Exception {
    Path corpus = corpus("more filler");
    Path root = tmp.resolve("indexes");
    String[] args = {
      "--corpus",
      corpus.toString(),
      "--items",
      items().toString(),
      "--index-root",
      root.toString(),
      "--out",
      tmp.resolve("r").toString()
    };
    assertThat(run(new DecontamCommand(), args)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("building index " + root);
    assertThat(run(new DecontamCommand(), args)).isZero();
    assertThat(out.toString())
        .contains("updating index", "2 file(s) already indexed, unchanged: skipped");
    try (var s = Files.list(root)) {
      assertThat(s.toList()).hasSize(1);
    }
  }

  @Test
  void badItemsFileNamesFileAndLine() throws Exception {
    Path index = tmp.resolve("idx");
    assertThat(
            run(new IndexCommand(), "--corpus", corpus("x").toString(), "--out", index.toString()))
        .isZero();
    Path bad = tmp.resolve("bad.jsonl");
    Files.writeString(
        bad,
        "{\"task\":\"t\",\"doc_id\":0,\"question\":\"q\",\"choices\":[\"a\"],\"gold\":0}\n{\"task\":\"t\",\"doc_id\":1}\n");
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                index.toString(),
                "--items",
                bad.toString(),
                "--out",
                tmp.resolve("r").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains(bad + " line 2");
  }

  @Test
  void registryItemsFromTheTasksModule() throws Exception {
    List<BenchmarkItem> anatomy = BenchmarkItems.load("mmlu-anatomy", null);
    assertThat(anatomy).isNotEmpty();
    BenchmarkItem first = anatomy.getFirst();
    Path index = tmp.resolve("idx");
    String doc = "Study notes. " + first.question() + " " + String.join(" ", first.choices());
    assertThat(
            run(new IndexCommand(), "--corpus", corpus(doc).toString(), "--out", index.toString()))
        .isZero();
    Path report = tmp.resolve("r");
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                index.toString(),
                "--task",
                "mmlu-anatomy",
                "--out",
                report.toString()))
        .as(err.toString())
        .isZero();
    JsonNode t =
        new ObjectMapper()
            .readTree(report.resolve("decontam.json").toFile())
            .at("/tasks/mmlu-anatomy");
    assertThat(t.get("n_items").asInt()).isEqualTo(anatomy.size());
    JsonNode item = t.get("items").get(0);
    assertThat(item.get("doc_id").asInt()).isEqualTo(first.docId());
    assertThat(item.get("dirty").asBoolean() || item.get("short").asBoolean()).isTrue();
  }
}
