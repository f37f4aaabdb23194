package evalh.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.decontam.schema.DecontamJson;
import evalh.engine.scoring.EngineOptions;
import evalh.tasks.BenchmarkItem;
import evalh.tasks.BenchmarkItems;
import evalh.tasks.data.DataRoot;
import evalh.tasks.registry.TaskRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final FakeEvaluator fake = new FakeEvaluator();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new RunCommand((c, o) -> fake));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private JsonNode results(Path dir) throws Exception {
    return JSON.readTree(dir.resolve("results.json").toFile());
  }

  /** The bundled sample items of mmlu-science, loaded independently of the run. */
  private static Map<String, List<BenchmarkItem>> sampleItems() {
    Map<String, List<BenchmarkItem>> m = new LinkedHashMap<>();
    for (BenchmarkItem i :
        BenchmarkItems.load(TaskRegistry.bundled(), "mmlu-science", DataRoot.bundledSample())) {
      m.computeIfAbsent(i.task(), k -> new ArrayList<>()).add(i);
    }
    return m;
  }

  @Test
  void resultsFollowLmEvalSchemaWithMicroAndMacroGroups() throws Exception {
    Path o = tmp.resolve("r");
    assertThat(run("--task", "mmlu-science", "--ckpt", "demo", "-o", o.toString())).isZero();
    JsonNode r = results(o);
    for (String k :
        List.of(
            "results",
            "groups",
            "group_subtasks",
            "configs",
            "versions",
            "n-shot",
            "higher_is_better",
            "n-samples",
            "config",
            "evalh")) {
      assertThat(r.has(k)).as(k).isTrue();
    }
    // the fake model always prefers " A": acc = share of items whose answer is A
    Map<String, List<BenchmarkItem>> items = sampleItems();
    double hits = 0;
    double n = 0;
    double macro = 0;
    for (Map.Entry<String, List<BenchmarkItem>> e : items.entrySet()) {
      double h = e.getValue().stream().filter(i -> i.gold() == 0).count();
      JsonNode t = r.at("/results/" + e.getKey());
      assertThat(t.get("acc,none").asDouble()).isEqualTo(h / e.getValue().size(), within(1e-12));
      double p = h / 3;
      assertThat(t.get("acc_stderr,none").asDouble())
          .isEqualTo(Math.sqrt(3 * p * (1 - p) / 2) / Math.sqrt(3), within(1e-12));
      hits += h;
      n += e.getValue().size();
      macro += h / e.getValue().size();
      assertThat(r.at("/n-samples/" + e.getKey() + "/effective").asInt()).isEqualTo(3);
      assertThat(r.at("/configs/" + e.getKey() + "/fewshot_config/sampler").asText())
          .isEqualTo("first_n");
    }
    JsonNode g = r.at("/results/mmlu-science");
    assertThat(g.get("acc,none").asDouble()).isEqualTo(hits / n, within(1e-12));
    assertThat(g.get("acc_macro,none").asDouble()).isEqualTo(macro / 16, within(1e-12));
    assertThat(r.at("/groups/mmlu-science")).isEqualTo(g);
    assertThat(r.at("/group_subtasks/mmlu-science")).hasSize(16);
    assertThat(r.at("/higher_is_better/mmlu-anatomy/acc").asBoolean()).isTrue();
    assertThat(r.at("/evalh/checkpoint_fingerprint").asText()).isEqualTo("fake-1");
    assertThat(r.at("/evalh/requests").asInt()).isEqualTo(16 * 3 * 4);
    assertThat(out.toString()).contains("demo model is random").contains("mmlu-science");
    // samples: one line per item, lm-eval --log_samples fields
    List<String> lines = Files.readAllLines(o.resolve("samples_mmlu-anatomy.jsonl"));
    assertThat(lines).hasSize(3);
    JsonNode s = JSON.readTree(lines.get(0));
    for (String k :
        List.of(
            "doc_id",
            "doc",
            "target",
            "arguments",
            "resps",
            "filtered_resps",
            "doc_hash",
            "prompt_hash",
            "target_hash",
            "acc")) {
      assertThat(s.has(k)).as(k).isTrue();
    }
    assertThat(s.at("/filtered_resps/0/0").asText()).isEqualTo("-1.0");
    assertThat(s.at("/filtered_resps/0/1").asText()).isEqualTo("True");
    assertThat(s.at("/filtered_resps/1/0").asText()).isEqualTo("-4.0");
    assertThat(s.at("/resps/2/0/0").asText()).isEqualTo("-4.0");
    assertThat(s.get("target_hash").asText())
        .isEqualTo(SamplesWriter.sha256(Integer.toString(s.get("target").asInt())));
  }

  @Test
  void decontamReportsCleanAndDirtySubsets() throws Exception {
    Map<String, List<BenchmarkItem>> items = sampleItems();
    // doc 0 of every subject is dirty, doc 1 a paraphrase suspect (not clean either); virology is
    // absent from the file (counts as clean)
    StringBuilder sb = new StringBuilder("{\"schema\":\"evalh.decontam/1\",\"tasks\":{");
    boolean first = true;
    for (String t : items.keySet()) {
      if (t.equals("mmlu-virology")) {
        continue;
      }
      sb.append(first ? "" : ",").append('"').append(t).append("\":{\"items\":[");
      for (BenchmarkItem i : items.get(t)) {
        String para =
            switch (i.docId()) {
              case 1 -> ",\"paraphrase\":{\"suspect\":true,\"score\":0.8,\"threshold\":0.4}";
              case 2 -> ",\"paraphrase\":{\"suspect\":false}";
              default -> "";
            };
        String l = labelled(i, i.docId() == 0, hashOf(i));
        sb.append(i.docId() == 0 ? "" : ",").append(l, 0, l.length() - 1).append(para).append('}');
      }
      sb.append("]}");
      first = false;
    }
    sb.append("}}");
    Path dj = tmp.resolve("decontam.json");
    Files.writeString(dj, sb.toString());
    Path o = tmp.resolve("d");
    assertThat(
            run(
                "--task",
                "mmlu-science",
                "--ckpt",
                "demo",
                "-o",
                o.toString(),
                "--decontam",
                dj.toString()))
        .isZero();
    assertThat(err.toString()).contains("mmlu-virology is not in").contains("count as clean");
    JsonNode r = results(o);
    double cleanHits = 0;
    double cleanN = 0;
    double dirtyHits = 0;
    double dirtyN = 0;
    for (Map.Entry<String, List<BenchmarkItem>> e : items.entrySet()) {
      boolean covered = !e.getKey().equals("mmlu-virology");
      double ch = 0;
      double cn = 0;
      for (BenchmarkItem i : e.getValue()) {
        boolean dirty = covered && i.docId() <= 1;
        double hit = i.gold() == 0 ? 1 : 0;
        if (dirty) {
          dirtyHits += hit;
          dirtyN++;
        } else {
          ch += hit;
          cn++;
        }
      }
      cleanHits += ch;
      cleanN += cn;
      JsonNode t = r.at("/results/" + e.getKey());
      assertThat(t.get("n_clean").asInt()).isEqualTo((int) cn);
      assertThat(t.get("n_dirty").asInt()).isEqualTo(covered ? 2 : 0);
      assertThat(t.get("acc_decontaminate,none").asDouble()).isEqualTo(ch / cn, within(1e-12));
    }
    JsonNode g = r.at("/results/mmlu-science");
    assertThat(g.get("n_clean").asInt()).isEqualTo((int) cleanN);
    assertThat(g.get("n_dirty").asInt()).isEqualTo((int) dirtyN);
    assertThat(g.get("acc_decontaminate,none").asDouble())
        .isEqualTo(cleanHits / cleanN, within(1e-12));
    assertThat(g.get("acc_dirty,none").asDouble()).isEqualTo(dirtyHits / dirtyN, within(1e-12));
    assertThat(g.has("acc_stderr_decontaminate,none")).isTrue();
    assertThat(g.has("acc_stderr_dirty,none")).isTrue();
    assertThat(g.get("acc,none").asDouble())
        .isEqualTo((cleanHits + dirtyHits) / (cleanN + dirtyN), within(1e-12));
    JsonNode s = JSON.readTree(Files.readAllLines(o.resolve("samples_mmlu-anatomy.jsonl")).get(0));
    assertThat(s.get("dirty").asBoolean()).isTrue();
  }

  private static String hashOf(BenchmarkItem i) {
    return DecontamJson.itemHash(i.question(), i.choices(), i.gold());
  }

  private static String labelled(BenchmarkItem i, boolean dirty, String hash) {
    return "{\"doc_id\":"
        + i.docId()
        + ",\"dirty\":"
        + dirty
        + (hash == null ? "" : ",\"content_hash\":\"" + hash + "\"")
        + "}";
  }

  /** A decontam.json of mmlu-anatomy: its items as {@code hash} says, doc 0 dirty. */
  private Path anatomyLabels(
      List<BenchmarkItem> items, java.util.function.Function<BenchmarkItem, String> hash)
      throws Exception {
    StringBuilder sb =
        new StringBuilder(
            "{\"schema\":\"evalh.decontam/1\",\"tasks\":{\"mmlu-anatomy\":{\"items\":[");
    for (int k = 0; k < items.size(); k++) {
      sb.append(k == 0 ? "" : ",").append(labelled(items.get(k), k == 0, hash.apply(items.get(k))));
    }
    Path dj = tmp.resolve("decontam-" + System.nanoTime() + ".json");
    Files.writeString(dj, sb.append("]}}}").toString());
    return dj;
  }

  /**
   * Reliability #2: run --decontam matched labels to any dataset by doc_id alone, so items never
   * checked (or other items under the same doc_id) were reported clean. Now refused, naming the
   * first mismatching item.
   */
  @Test
  void decontamLabelsMadeForOtherItemsAreRefused() throws Exception {
    List<BenchmarkItem> anatomy = sampleItems().get("mmlu-anatomy");
    assertThat(anatomy).hasSizeGreaterThan(2);
    // the same doc_ids, but doc 1 was another question when the labels were made
    Path other =
        anatomyLabels(
            anatomy,
            i ->
                i.docId() == 1
                    ? DecontamJson.itemHash("another question", i.choices(), i.gold())
                    : hashOf(i));
    Path o = tmp.resolve("o1");
    assertThat(
            run(
                "--task",
                "mmlu-anatomy",
                "--ckpt",
                "demo",
                "-o",
                o.toString(),
                "--decontam",
                other.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("mmlu-anatomy doc_id 1").contains("other data");
    assertThat(o.resolve("results.json")).doesNotExist();
    // labels for the first item only: the others were never checked
    Path fewer = anatomyLabels(anatomy.subList(0, 1), BenchmarkItem -> hashOf(anatomy.get(0)));
    assertThat(
            run(
                "--task",
                "mmlu-anatomy",
                "--ckpt",
                "demo",
                "-o",
                tmp.resolve("o2").toString(),
                "--decontam",
                fewer.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("mmlu-anatomy doc_id 1 was not checked");
    // labels without content hashes (an older decontam.json): cannot be matched, refused
    Path bare = anatomyLabels(anatomy, i -> null);
    assertThat(
            run(
                "--task",
                "mmlu-anatomy",
                "--ckpt",
                "demo",
                "-o",
                tmp.resolve("o3").toString(),
                "--decontam",
                bare.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("records no content_hash");
    // the right labels pass
    Path right = anatomyLabels(anatomy, RunCommandTest::hashOf);
    assertThat(
            run(
                "--task",
                "mmlu-anatomy",
                "--ckpt",
                "demo",
                "-o",
                tmp.resolve("o4").toString(),
                "--decontam",
                right.toString()))
        .isZero();
  }

  @Test
  void secondRunIsAnsweredFromTheCache() throws Exception {
    Path o = tmp.resolve("c");
    assertThat(run("--task", "mmlu-anatomy", "--ckpt", "demo", "-o", o.toString())).isZero();
    int calls = fake.calls;
    assertThat(calls).isPositive();
    assertThat(run("--task", "mmlu-anatomy", "--ckpt", "demo", "-o", o.toString())).isZero();
    assertThat(fake.calls).isEqualTo(calls);
    assertThat(results(o).at("/evalh/this_run/cache_hits").asInt()).isEqualTo(12);
  }

  @Test
  void wikitextReadsDetokenizedPagesAndCountsOnTheOriginal() throws Exception {
    Path o = tmp.resolve("w");
    assertThat(run("--task", "wikitext-2,mmlu-anatomy-cloze", "--ckpt", "demo", "-o", o.toString()))
        .isZero();
    List<String> lines = Files.readAllLines(o.resolve("samples_wikitext-2.jsonl"));
    assertThat(lines).hasSize(2);
    double ll = 0;
    double bytes = 0;
    for (String line : lines) {
      JsonNode s = JSON.readTree(line);
      String page = s.at("/doc/page").asText();
      assertThat(page).contains(" = ", " @");
      assertThat(s.get("target").asText())
          .isEqualTo(evalh.tasks.prompt.WikitextDetokenizer.detokenize(page));
      assertThat(s.at("/arguments/gen_args_0/arg_0").asText()).isEqualTo(s.get("target").asText());
      // the fake scores a document -(its length); bytes and words come from the original page
      double docLl = -s.get("target").asText().length();
      assertThat(s.get("bits_per_byte").get(0).asDouble()).isEqualTo(docLl);
      assertThat(s.get("bits_per_byte").get(1).asInt())
          .isEqualTo(page.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
      assertThat(s.get("word_perplexity").get(1).asInt())
          .isEqualTo(evalh.tasks.prompt.PyStr.pythonSplitWordCount(page));
      ll += docLl;
      bytes += page.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    JsonNode r = results(o);
    assertThat(r.at("/results/wikitext-2/bits_per_byte,none").asDouble())
        .isEqualTo(-(ll / bytes) / Math.log(2), within(1e-12));
    // cloze: continuations are the answer texts; acc, acc_norm and acc_bytes are reported
    JsonNode c = r.at("/results/mmlu-anatomy-cloze");
    assertThat(c.has("acc,none")).isTrue();
    assertThat(c.has("acc_norm,none")).isTrue();
    assertThat(c.has("acc_bytes,none")).isTrue();
    JsonNode s =
        JSON.readTree(Files.readAllLines(o.resolve("samples_mmlu-anatomy-cloze.jsonl")).get(0));
    assertThat(s.at("/arguments/gen_args_0/arg_1").asText())
        .isEqualTo(" " + s.at("/doc/choices/0").asText());
  }

  /** lm-eval's meaning: --batch-size N is N sequences per batch, never N x 2048 tokens. */
  @Test
  void batchSizeIsSequencesPerBatchAndBatchTokensIsTheTokenBudget() throws Exception {
    List<EngineOptions> seen = new ArrayList<>();
    CommandLine cl =
        new CommandLine(
            new RunCommand(
                (c, o) -> {
                  seen.add(o);
                  return fake;
                }));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    // option -> (batchSequences, batchTokens, results.json config.batch_size)
    List<List<String>> cases =
        List.of(
            List.of("--batch-size", "4", "4", "0", "4"),
            List.of("--batch-tokens", "4096", "0", "4096", "4096 tokens"),
            List.of("--batch-size", "auto", "0", "0", "auto"));
    for (int i = 0; i < cases.size(); i++) {
      List<String> c = cases.get(i);
      Path o = tmp.resolve("bs" + i);
      String[] args = {
        "--task", "mmlu-anatomy", "--ckpt", "demo", c.get(0), c.get(1), "-o", o.toString()
      };
      assertThat(cl.execute(args)).as(c.toString()).isZero();
      assertThat(seen.get(i).batchSequences())
          .as(c.toString())
          .isEqualTo(Integer.parseInt(c.get(2)));
      assertThat(seen.get(i).batchTokens()).as(c.toString()).isEqualTo(Integer.parseInt(c.get(3)));
      assertThat(results(o).at("/config/batch_size").asText()).isEqualTo(c.get(4));
    }
    assertThat(run("--task", "mmlu-anatomy", "--ckpt", "demo", "--batch-size", "0")).isEqualTo(2);
  }

  /** Issue 14: a task name from --include-path that would escape --output fails before scoring. */
  @Test
  void aTaskNameThatWouldEscapeTheOutputFailsBeforeAnyScoring() throws Exception {
    Path inc = Files.createDirectories(tmp.resolve("inc"));
    Files.writeString(
        inc.resolve("evil.yaml"),
        """
        suite: evil
        members:
          en: {}
        variants:
          - task:
              name: "x/../../../escaped"
              output_type: loglikelihood_rolling
              dataset: {kind: c4, variant: "{member}"}
              test_split: validation
              metric_list: [{metric: bits_per_byte}]
        """);
    Path o = tmp.resolve("a/b/c/out");
    assertThat(
            run(
                "--task",
                "x/../../../escaped",
                "--ckpt",
                "demo",
                "--include-path",
                inc.toString(),
                "-o",
                o.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("evil.yaml: variants[0]").contains("task name");
    assertThat(fake.calls).isZero();
    assertThat(Files.exists(tmp.resolve("escaped"))).isFalse();
    assertThat(Files.exists(o)).isFalse();
  }

  /** Issue 14: results and samples get the permissions the umask gives any new file (not 0600). */
  @Test
  void resultsAndSamplesFollowTheUmask() throws Exception {
    String plain =
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(Files.writeString(tmp.resolve("plain"), "x")));
    Path o = tmp.resolve("perm");
    assertThat(run("--task", "mmlu-anatomy", "--ckpt", "demo", "-o", o.toString())).isZero();
    for (Path f : List.of(o.resolve("results.json"), o.resolve("samples_mmlu-anatomy.jsonl"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
          .as(f.toString())
          .isEqualTo(plain);
    }
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(run("--ckpt", "demo")).isEqualTo(2);
    assertThat(err.toString()).contains("needs --task and --ckpt");
    assertThat(run("--task", "mmlu-anatomy", "--ckpt", "demo", "--limit", "0")).isEqualTo(2);
    assertThat(run("--task", "mmlu-anatomy", "--ckpt", "demo", "--batch-size", "x")).isEqualTo(2);
    assertThat(run("--task", "mmlu-anatomy", "--ckpt", "demo", "--bogus")).isEqualTo(2);
    assertThat(run("--task", "mmlu-anatomy", "--ckpt", "demo", "-o", "hdfs://nn:8020/evals"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("--output hdfs://nn:8020/evals: the local engine writes to this machine's");
    assertThat(Path.of("hdfs:")).doesNotExist();
  }

  @Test
  void aFileUriOutputIsThePathItNames() {
    Path o = tmp.resolve("via-uri");
    assertThat(run("--task", "mmlu-anatomy", "--ckpt", "demo", "-o", o.toUri().toString()))
        .isZero();
    assertThat(o.resolve("results.json")).exists();
  }

  @Test
  void badInputIsAClearFailure() throws Exception {
    CommandLine cl = new CommandLine(new RunCommand((c, o) -> fake));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<Throwable> seen = new ArrayList<>();
    cl.setExecutionExceptionHandler(
        (ex, c, p) -> {
          seen.add(ex);
          return 1;
        });
    assertThat(
            cl.execute(
                "--task",
                "mmlu-anatomy",
                "--ckpt",
                "demo",
                "--data-dir",
                tmp.toString(),
                "-o",
                tmp.resolve("x").toString()))
        .isEqualTo(1);
    assertThat(seen.get(0).getMessage())
        .contains("huggingface-cli download cais/mmlu --repo-type dataset --local-dir " + tmp);
    assertThat(cl.execute("--task", "mmlu_anatomy", "--ckpt", "demo")).isEqualTo(1);
    assertThat(seen.get(1).getMessage()).contains("did you mean mmlu-anatomy");
    assertThat(fake.calls).isZero();
  }

  @Test
  void helpDescribesEveryOptionAndListTasksWorks() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--task",
            "--ckpt",
            "--num-fewshot",
            "--limit",
            "--batch-size",
            "--max-length",
            "--device",
            "--dtype",
            "--output",
            "log-samples",
            "--decontam",
            "--data-dir");
    assertThat(run("--list-tasks")).isZero();
    assertThat(out.toString()).contains("mmlu-science", "paloma-c4_en", "wikitext-103", "c4-en");
  }
}
