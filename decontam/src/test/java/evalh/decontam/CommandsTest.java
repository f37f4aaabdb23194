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

  /** B17: index --ram-buffer-mb 0 exited 1 (a Lucene exception), not the usage code 2. */
  @Test
  void nonPositiveRamBufferIsAUsageError() throws Exception {
    Path corpus = corpus("x");
    for (String mb : List.of("0", "-5", "NaN")) {
      assertThat(
              run(
                  new IndexCommand(),
                  "--corpus",
                  corpus.toString(),
                  "--out",
                  tmp.resolve("i" + mb).toString(),
                  "--ram-buffer-mb",
                  mb))
          .as(mb)
          .isEqualTo(2);
      assertThat(err.toString()).contains("--ram-buffer-mb must be > 0");
    }
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

  /** A corpus whose b.jsonl.gz is cut in half: the item's text sat in the lost second half. */
  Path truncatedCorpus() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("cut"));
    List<String> a = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      a.add(Fixtures.line("a" + i, "filler document number " + i + " about nothing at all"));
    }
    Fixtures.write(dir.resolve("a.jsonl"), a);
    java.util.Random rnd = new java.util.Random(1);
    List<String> b = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      b.add(Fixtures.line("b" + i, "noise " + rnd.nextLong() + " " + rnd.nextLong()));
    }
    b.add(Fixtures.line("leak", "Quiz: " + QUESTION + " The answer: Rayleigh scattering."));
    Path gz = Fixtures.write(dir.resolve("b.jsonl.gz"), b);
    byte[] all = Files.readAllBytes(gz);
    Files.write(gz, java.util.Arrays.copyOf(all, all.length / 2));
    return dir;
  }

  /**
   * Reliability #4: a truncated .gz passed as complete: index noted TRUNCATED and exited 0, and the
   * report said "partial": false while the item planted in the lost part came out clean.
   */
  @Test
  void truncatedCompressedFileMakesIndexAndReportPartial() throws Exception {
    Path corpus = truncatedCorpus();
    Path gz = corpus.resolve("b.jsonl.gz").toAbsolutePath();
    Path index = tmp.resolve("idx");
    String[] indexArgs = {"--corpus", corpus.toString(), "--out", index.toString()};
    assertThat(run(new IndexCommand(), indexArgs)).isEqualTo(1);
    assertThat(err.toString())
        .contains(
            "is partial", gz.toString(), "at byte " + Files.size(gz) + " of " + Files.size(gz))
        .contains("--allow-partial");
    String[] check = {
      "--corpus",
      index.toString(),
      "--items",
      items().toString(),
      "--out",
      tmp.resolve("r").toString()
    };
    assertThat(run(new DecontamCommand(), check)).isEqualTo(1);
    assertThat(err.toString()).contains("could not be read to the end", gz.toString());
    // the raw-corpus path (indexed on the fly) is refused alike
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                corpus.toString(),
                "--items",
                items().toString(),
                "--index-root",
                tmp.resolve("roots").toString(),
                "--out",
                tmp.resolve("r2").toString()))
        .isEqualTo(1);
    // accepted with --allow-partial: the report says partial and names the file
    List<String> accept = new ArrayList<>(List.of(check));
    accept.add("--allow-partial");
    assertThat(run(new DecontamCommand(), accept.toArray(String[]::new)))
        .as(err.toString())
        .isZero();
    JsonNode j = new ObjectMapper().readTree(tmp.resolve("r/decontam.json").toFile());
    assertThat(j.at("/summary/partial").asBoolean()).isTrue();
    assertThat(j.at("/summary/truncated_files/0").asText()).startsWith(gz + ": ");
    // per-file counts reach the report
    assertThat(j.at("/index/file_stats").get(gz.toString()).get("truncated_at_byte").asLong())
        .isEqualTo(Files.size(gz));
    assertThat(
            j.at("/index/file_stats")
                .get(corpus.resolve("a.jsonl").toAbsolutePath().toString())
                .get("docs")
                .asLong())
        .isEqualTo(50);
    assertThat(Files.readString(tmp.resolve("r/decontam.md"))).contains("Partial corpus");
  }

  /**
   * Reliability #2: decontam without --data-dir quietly checked the bundled sample items, and
   * decontam.json did not record which data it checked.
   */
  @Test
  void decontamRecordsItsDataAndEachItemsContentHash() throws Exception {
    Path index = tmp.resolve("idx");
    assertThat(
            run(new IndexCommand(), "--corpus", corpus("x").toString(), "--out", index.toString()))
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
    assertThat(err.toString()).contains("bundled sample items");
    JsonNode j = new ObjectMapper().readTree(report.resolve("decontam.json").toFile());
    assertThat(j.at("/benchmark_data/source").asText()).isEqualTo("bundled sample");
    List<BenchmarkItem> anatomy = BenchmarkItems.load("mmlu-anatomy", null);
    JsonNode items = j.at("/tasks/mmlu-anatomy/items");
    assertThat(items).hasSize(anatomy.size());
    for (int k = 0; k < anatomy.size(); k++) {
      BenchmarkItem b = anatomy.get(k);
      // independent of evalh's code: SHA-256 of the JSON array [question, choices, gold]
      String json =
          new ObjectMapper().writeValueAsString(List.of(b.question(), b.choices(), b.gold()));
      String want =
          "sha256:"
              + java.util.HexFormat.of()
                  .formatHex(
                      java.security.MessageDigest.getInstance("SHA-256")
                          .digest(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(items.get(k).get("doc_id").asInt()).isEqualTo(b.docId());
      assertThat(items.get(k).get("content_hash").asText()).isEqualTo(want);
    }
    // --items: the file is recorded
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                index.toString(),
                "--items",
                items().toString(),
                "--out",
                tmp.resolve("r2").toString()))
        .isZero();
    JsonNode j2 = new ObjectMapper().readTree(tmp.resolve("r2/decontam.json").toFile());
    assertThat(j2.at("/benchmark_data/source").asText()).isEqualTo("--items");
    assertThat(j2.at("/benchmark_data/path").asText())
        .isEqualTo(items().toAbsolutePath().toString());
  }

  /** B14: decontam --n 8 --normalization unicode against an n=13 janitor index was ignored. */
  @Test
  void schemeFlagsThatContradictTheIndexAreAUsageError() throws Exception {
    Path index = tmp.resolve("idx");
    assertThat(
            run(new IndexCommand(), "--corpus", corpus("x").toString(), "--out", index.toString()))
        .isZero();
    int rc =
        run(
            new DecontamCommand(),
            "--corpus",
            index.toString(),
            "--items",
            items().toString(),
            "--n",
            "8",
            "--normalization",
            "unicode",
            "--out",
            tmp.resolve("r").toString());
    assertThat(rc).isEqualTo(2);
    assertThat(err.toString()).contains("--n 8 (index: 13)", "--normalization unicode");
    assertThat(tmp.resolve("r/decontam.json")).doesNotExist();
    // the same flags as the index are fine
    assertThat(
            run(
                new DecontamCommand(),
                "--corpus",
                index.toString(),
                "--items",
                items().toString(),
                "--n",
                "13",
                "--out",
                tmp.resolve("r2").toString()))
        .as(err.toString())
        .isZero();
  }
}
