package evalh.reporting.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsReaderTest {
  @TempDir Path tmp;

  static Path lmEvalRun() throws URISyntaxException {
    return Path.of(
        Objects.requireNonNull(ResultsReaderTest.class.getResource("/lm-eval-run")).toURI());
  }

  @Test
  void readsAnLmEvalResultsFile() throws Exception {
    Path dir = lmEvalRun();
    // lm-eval names its file results_<timestamp>.json: a directory with one is accepted
    Path file = RunLocator.resultsFile(dir);
    assertThat(file.getFileName().toString()).startsWith("results_2024-11-20");
    RunResults r = ResultsReader.read(file, dir);

    assertThat(r.tasks().keySet())
        .containsExactly("mmlu_stem", "mmlu_anatomy", "mmlu_astronomy", "wikitext");
    TaskResult stem = r.task("mmlu_stem").orElseThrow();
    assertThat(stem.group()).isTrue();
    assertThat(stem.alias()).isEqualTo("stem");
    assertThat(stem.subtasks()).containsExactly("mmlu_anatomy", "mmlu_astronomy");
    // the group's entry in "groups" adds acc_macro to the one in "results"
    assertThat(stem.value(MetricKey.parse("acc_macro,none"))).contains(0.45);
    assertThat(stem.value(MetricKey.parse("acc,none"))).contains(0.44);

    TaskResult anatomy = r.task("mmlu_anatomy").orElseThrow();
    assertThat(anatomy.group()).isFalse();
    assertThat(anatomy.alias()).isEqualTo("- anatomy");
    assertThat(anatomy.metrics().keySet())
        .extracting(MetricKey::key)
        .containsExactlyInAnyOrder("acc,none", "acc_decontaminate,none", "acc_dirty,none");
    assertThat(anatomy.stderr(MetricKey.parse("acc,none"))).contains(0.0423);
    // lm-eval 0.3's acc_stderr_decontaminate belongs to acc_decontaminate
    assertThat(anatomy.stderr(MetricKey.parse("acc_decontaminate,none"))).contains(0.045);
    assertThat(anatomy.stderr(MetricKey.parse("acc_dirty,none"))).contains(0.1);
    assertThat(anatomy.counts()).containsEntry("n_clean", 120L).containsEntry("n_dirty", 15L);
    assertThat(anatomy.size()).hasValue(135);

    // "N/A" and NaN (Python's json writes it) stderrs are absent, not errors
    TaskResult astronomy = r.task("mmlu_astronomy").orElseThrow();
    assertThat(astronomy.stderr(MetricKey.parse("acc,none"))).isEmpty();
    assertThat(astronomy.stderr(MetricKey.parse("acc_norm,none"))).isEmpty();
    assertThat(astronomy.value(MetricKey.parse("acc_norm,none"))).contains(0.52);

    TaskResult wiki = r.task("wikitext").orElseThrow();
    assertThat(wiki.group()).isFalse();
    assertThat(wiki.value(MetricKey.parse("bits_per_byte,none"))).contains(0.765);
    assertThat(r.higherIsBetter("wikitext", MetricKey.parse("bits_per_byte,none"))).isFalse();
    // a group without its own higher_is_better asks its subtasks
    assertThat(r.higherIsBetter("mmlu_stem", MetricKey.parse("acc_macro,none"))).isTrue();
    assertThat(r.leaves("mmlu_stem")).containsExactly("mmlu_anatomy", "mmlu_astronomy");

    assertThat(r.checkpoint()).contains("/data/ckpts/medu-anneal/");
    assertThat(RunLabels.defaultLabel(r)).isEqualTo("medu-anneal");
    assertThat(r.info()).containsEntry("model", "hf").containsEntry("git_hash", "abc1234");
  }

  @Test
  void missingResultsObjectIsAClearError() throws Exception {
    Path f = tmp.resolve("results.json");
    Files.writeString(f, "{\"resultz\": {}}");
    assertThatThrownBy(() -> ResultsReader.read(f, tmp))
        .isInstanceOf(ResultsFormatException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("missing object field 'results'");
  }

  @Test
  void nonNumericMetricNamesTaskAndKey() throws Exception {
    Path f = tmp.resolve("results.json");
    Files.writeString(f, "{\"results\": {\"mmlu-anatomy\": {\"acc,none\": \"high\"}}}");
    assertThatThrownBy(() -> ResultsReader.read(f, tmp))
        .hasMessageContaining("results.mmlu-anatomy.\"acc,none\"")
        .hasMessageContaining("expected a number, got \"high\"");
  }

  /** B16: acc,none = 5.0 made report fail naming neither file nor task, and diff say +1400%. */
  @Test
  void metricValuesOutOfTheirRangeNameFileTaskAndKey() throws Exception {
    Path f = tmp.resolve("results.json");
    for (String[] bad :
        new String[][] {
          {"\"acc,none\": 5.0", "\"acc,none\": 5.0 is outside [0, 1]"},
          {"\"acc_norm,none\": -0.1", "\"acc_norm,none\": -0.1 is outside [0, 1]"},
          {"\"acc,none\": 0.5, \"acc_stderr,none\": -0.01", "is negative"},
          {"\"word_perplexity,none\": -3", "is negative"},
          {"\"acc,none\": \"Infinity\"", "is not finite"}
        }) {
      Files.writeString(f, "{\"results\": {\"mmlu-anatomy\": {" + bad[0] + "}}}");
      assertThatThrownBy(() -> ResultsReader.read(f, tmp))
          .as(bad[0])
          .isInstanceOf(ResultsFormatException.class)
          .hasMessageContaining(f.toString())
          .hasMessageContaining("results.mmlu-anatomy.")
          .hasMessageContaining(bad[1]);
    }
    Files.writeString(
        f,
        "{\"results\": {\"mmlu-anatomy\": {\"acc,none\": 1.0, \"word_perplexity,none\": 12.5}}}");
    assertThat(ResultsReader.read(f, tmp).task("mmlu-anatomy")).isPresent();
  }

  @Test
  void groupCycleIsReported() throws Exception {
    Path f = tmp.resolve("results.json");
    Files.writeString(
        f,
        "{\"results\": {\"a\": {\"acc,none\": 0.5}, \"b\": {\"acc,none\": 0.5}},"
            + " \"group_subtasks\": {\"a\": [\"b\"], \"b\": [\"a\"]}}");
    RunResults r = ResultsReader.read(f, tmp);
    assertThatThrownBy(() -> r.leaves("a")).hasMessageContaining("cycle");
  }

  @Test
  void locatorErrorsAreUsageErrors() throws Exception {
    assertThatThrownBy(() -> RunLocator.resultsFile(tmp.resolve("nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no such run directory");
    assertThatThrownBy(() -> RunLocator.resultsFile(tmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no results.json");
    Files.writeString(tmp.resolve("results_1.json"), "{}");
    Files.writeString(tmp.resolve("results_2.json"), "{}");
    assertThatThrownBy(() -> RunLocator.resultsFile(tmp))
        .hasMessageContaining("several results_*.json");
  }

  @Test
  void samplesOfLmEvalRunAreFoundAndParsed() throws Exception {
    Path dir = lmEvalRun();
    Path f = SamplesReader.find(dir, "mmlu_anatomy").orElseThrow();
    assertThat(SamplesReader.find(dir, "mmlu")).isEmpty();
    TaskSamples s = SamplesReader.read("mmlu_anatomy", f);
    var none = s.items("none").orElseThrow();
    assertThat(none.keySet()).containsExactly(0, 1);
    SampleItem first = none.get(0);
    assertThat(first.scalars()).containsEntry("acc", 1.0).hasSize(1);
    assertThat(first.question()).isEqualTo("What is the <b>largest</b> organ?");
    assertThat(first.target()).isEqualTo("B. Skin");
    assertThat(first.docHash()).contains("d0");
    // a second filter is kept apart
    assertThat(s.items("strict").orElseThrow().get(0).scalars()).containsEntry("acc", 0.0);

    TaskSamples w =
        SamplesReader.read("wikitext", SamplesReader.find(dir, "wikitext").orElseThrow());
    SampleItem doc = w.items("none").orElseThrow().get(0);
    assertThat(doc.pairs().get("bits_per_byte")).containsExactly(-123.5, 110.0);
    assertThat(doc.pairs().get("word_perplexity")).containsExactly(-123.5, 20.0);
    assertThat(doc.question()).isEqualTo("= Valkyria Chronicles III =\n");
  }

  @Test
  void badSamplesNameFileAndLine() throws Exception {
    Path f = tmp.resolve("samples_t.jsonl");
    Files.writeString(f, "{\"doc_id\": 0, \"acc\": 1.0}\n\n{\"acc\": 1.0}\n");
    assertThatThrownBy(() -> SamplesReader.read("t", f))
        .hasMessageContaining(f + ":3: missing or non-integer field 'doc_id'");
    Files.writeString(f, "{\"doc_id\": 0, \"acc\": 1.0}\n{\"doc_id\": 0, \"acc\": 0.0}\n");
    assertThatThrownBy(() -> SamplesReader.read("t", f))
        .hasMessageContaining(f + ":2: doc_id 0 appears twice");
    Files.writeString(f, "{\"doc_id\": 0, \"metrics\": [\"acc\"], \"acc\": \"yes\"}\n");
    assertThatThrownBy(() -> SamplesReader.read("t", f))
        .hasMessageContaining(f + ":1: metric field 'acc'");
  }

  @Test
  void decontamReportIsReadWithClearErrors() throws Exception {
    Path f = tmp.resolve("dclm/decontam.json");
    Files.createDirectories(f.getParent());
    Files.writeString(
        f,
        "{\"schema\": \"evalh.decontam/1\", \"tasks\": {\"mmlu-anatomy\": {\"items\": ["
            + "{\"doc_id\": 0, \"dirty\": true}, {\"doc_id\": 1, \"dirty\": false}]}}}");
    CorpusLabels d = DecontamReader.read(f);
    assertThat(d.label()).isEqualTo("dclm"); // the directory it lies in
    assertThat(d.isDirty("mmlu-anatomy", 0)).contains(true);
    assertThat(d.isDirty("mmlu-anatomy", 1)).contains(false);
    assertThat(d.isDirty("mmlu-anatomy", 2)).isEmpty();
    assertThat(DecontamReader.read(f.getParent()).dirty()).isEqualTo(d.dirty());

    Files.writeString(
        f,
        "{\"schema\": \"evalh.decontam/1\", \"tasks\": {\"mmlu-anatomy\": {\"items\": ["
            + "{\"doc_id\": 0, \"dirty\": true}, {\"doc_id\": 1}]}}}");
    assertThatThrownBy(() -> DecontamReader.read(f))
        .hasMessageContaining("tasks.mmlu-anatomy.items[1]: missing boolean 'dirty'");
    Files.writeString(f, "{\"schema\": \"other/2\", \"tasks\": {}}");
    assertThatThrownBy(() -> DecontamReader.read(f))
        .hasMessageContaining("expected evalh.decontam/1");
  }

  @Test
  void labels() {
    assertThat(RunLabels.checkpointName("/ckpts/mix-a/")).isEqualTo("mix-a");
    assertThat(RunLabels.checkpointName("/ckpts/mix-a/model.safetensors")).isEqualTo("mix-a");
    assertThat(RunLabels.checkpointName("demo")).isEqualTo("demo");
    assertThat(RunLabels.checkpointName("C:\\ckpts\\mix-b")).isEqualTo("mix-b");
  }

  @Test
  void duplicateDefaultLabelsAreDisambiguatedAndUserLabelsApply() throws Exception {
    List<Run> runs = List.of(run("run-1", "demo"), run("run-2", "demo"), run("run-3", "/c/x"));
    List<Run> labelled = RunLabels.apply(runs, java.util.Map.of());
    assertThat(labelled)
        .extracting(Run::label)
        .containsExactly("demo (run-1)", "demo (run-2)", "x");
    List<Run> named = RunLabels.apply(runs, java.util.Map.of("run-2", "baseline", "x", "new"));
    assertThat(named).extracting(Run::label).containsExactly("demo", "baseline", "new");
    assertThatThrownBy(() -> RunLabels.apply(runs, java.util.Map.of("demo", "y")))
        .hasMessageContaining("names 2 runs");
    assertThatThrownBy(() -> RunLabels.apply(runs, java.util.Map.of("zzz", "y")))
        .hasMessageContaining("no run is called 'zzz'");
  }

  private Run run(String dir, String checkpoint) throws Exception {
    Path d = tmp.resolve(dir);
    Files.createDirectories(d);
    Files.writeString(
        d.resolve("results.json"),
        "{\"results\": {}, \"evalh\": {\"checkpoint\": \"" + checkpoint + "\"}}");
    return RunLocator.load(d, "");
  }
}
