package evalh.reporting.report;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.reporting.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path tmp;

  private static CliRun report(String... args) {
    return CliRun.of(new ReportCommand(), args);
  }

  /**
   * Reliability #2: report --decontam applied labels by doc_id alone, so a decontam.json made for
   * other items (another dataset, another question under the same doc_id) split the runs into clean
   * and dirty on the wrong items. Now refused, naming the first mismatching item.
   */
  @Test
  void decontamLabelsForOtherItemsAreRefused() throws Exception {
    ReportFixtures.Paths p = ReportFixtures.write(tmp);
    // labels whose anatomy doc 0 was another question (the run's doc 0 is the XSS question)
    Path other =
        evalh.reporting.RunFixture.decontam(
            tmp.resolve("other/decontam.json"),
            "other",
            java.util.Map.of("mmlu-anatomy", new int[] {0}),
            java.util.Map.of("mmlu-anatomy", 100));
    CliRun r =
        report(
            p.a().toString(),
            "--decontam",
            other.toString(),
            "--out",
            tmp.resolve("r1.html").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("mmlu-anatomy doc_id 0").contains("other data");
    assertThat(tmp.resolve("r1.html")).doesNotExist();
    // labels for 50 of the run's 100 anatomy items: the other 50 were never checked
    Path fewer =
        evalh.reporting.RunFixture.decontam(
            tmp.resolve("fewer/decontam.json"),
            "fewer",
            java.util.Map.of(),
            java.util.Map.of("mmlu-virology", 50));
    r =
        report(
            p.a().toString(),
            "--decontam",
            fewer.toString(),
            "--out",
            tmp.resolve("r2.html").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("mmlu-virology doc_id 50 was not checked");
  }

  @Test
  void writesSelfContainedEscapedHtmlAndMarkdown() throws Exception {
    ReportFixtures.Paths p = ReportFixtures.write(tmp);
    Path out = tmp.resolve("reports/mixes.html");
    CliRun r =
        report(
            p.a().toString(),
            p.b().toString(),
            "--decontam",
            p.decontam().toString(),
            "--label",
            p.b() + "=<i>filtered</i> & co",
            "--out",
            out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String html = Files.readString(out);
    String md = Files.readString(tmp.resolve("reports/mixes.md"));
    // nothing but the two outputs in the directory: temp files were renamed away
    try (Stream<Path> files = Files.list(out.getParent())) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("mixes.html", "mixes.md");
    }

    // self-contained: no scripts, no external resources of any kind
    String lower = html.toLowerCase(Locale.ROOT);
    assertThat(lower)
        .doesNotContain("<script")
        .doesNotContain("<link")
        .doesNotContain("<img")
        .doesNotContain("<iframe")
        .doesNotContain("<object")
        .doesNotContain("<embed")
        .doesNotContain("@import")
        .doesNotContain("url(")
        .doesNotContain("http://")
        .doesNotContain("https://");
    // no tag carries a src attribute or an event handler; links are in-page anchors only
    assertThat(
            Pattern.compile("<[^>]*\\s(src|on[a-z]+)\\s*=", Pattern.CASE_INSENSITIVE)
                .matcher(html)
                .find())
        .isFalse();
    assertThat(Pattern.compile("href=\"(?!#)").matcher(html).find()).isFalse();
    // the data strings are there, as text
    assertThat(html)
        .contains("Which organ? &lt;script&gt;window.__evalh_xss=1&lt;/script&gt;&lt;img src=x")
        .contains("&lt;i&gt;filtered&lt;/i&gt; &amp; co");
    // the charts
    assertThat(count(html, "<svg class=\"chart bar-chart\"")).isEqualTo(3); // acc, bpb, clean/dirty
    assertThat(count(html, "<svg class=\"chart heat-map\"")).isEqualTo(1);
    assertThat(count(html, "<rect class=\"bar\"")).isGreaterThanOrEqualTo(2 + 2 + 8);
    assertThat(html).contains("<g class=\"ci\"");

    // Markdown tables with the values computed by hand from the fixture:
    // group micro = (60 + 40)/180 = 55.6%, (55 + 45)/180 = 55.6%
    assertThat(md).contains("| mmlu-science *(group)* | 55.6 (");
    // subjects: Wilson 95% intervals (python: k=60,n=100 -> 0.50200..0.69060; k=55 -> 0.45245..
    // 0.64385)
    assertThat(md).contains("| mmlu-anatomy | 60.0 (50.2–69.1) | 55.0 (45.2–64.4) |");
    // contamination: 6 of 100 anatomy items and 2 of 80 virology items are dirty
    assertThat(md)
        .contains("| mmlu-anatomy | 6/100 (6.0%) |")
        .contains("| mmlu-virology | 2/80 (2.5%) |")
        .contains("| mmlu-science | 8/180 (4.4%) |");
    // clean vs dirty, Wilson 95% intervals (python: k=6,n=6 -> 0.60967..1.0; k=54,n=94 ->
    // 0.47353..0.66956; k=1,n=6 -> 0.03005..0.56350)
    assertThat(md)
        .contains(
            "| mmlu-anatomy | 57.4 (47.4–67.0), n=94 | 100.0 (61.0–100.0), n=6 |"
                + " 57.4 (47.4–67.0), n=94 | 16.7 (3.0–56.4), n=6 |");
    // Markdown escapes the HTML-significant characters of labels
    assertThat(md).contains("&lt;i&gt;filtered&lt;/i&gt; &amp; co").doesNotContain("<i>");
    // bits per byte of run a: (Σ-ll/Σbytes)/ln2 = (6250/5200)/ln 2 = 1.7340
    assertThat(md)
        .contains(
            String.format(Locale.ROOT, "| paloma-c4_en | %.4f (", 6250.0 / 5200.0 / Math.log(2)));
    assertThat(r.out()).contains("wrote").contains("mixes.html").contains("mixes.md");
  }

  @Test
  void itemsWhereRunsDisagreeAreListed() throws Exception {
    ReportFixtures.Paths p = ReportFixtures.write(tmp);
    Path out = tmp.resolve("r.html");
    assertThat(
            report(p.a().toString(), p.b().toString(), "--out", out.toString(), "--max-items", "3")
                .exit())
        .isZero();
    String html = Files.readString(out);
    // anatomy items 0, 3, 5 differ (first three by doc_id), virology 40, 41, 42
    assertThat(html).contains("<td>mmlu-anatomy</td><td class=\"num\">0</td>");
    assertThat(html).contains("<td>mmlu-anatomy</td><td class=\"num\">5</td>");
    assertThat(html).doesNotContain("<td>mmlu-anatomy</td><td class=\"num\">7</td>");
    assertThat(html).contains("<td>mmlu-virology</td><td class=\"num\">42</td>");
    assertThat(html).contains("<td>B. beta</td>");
  }

  @Test
  void singleRunLabelledByCheckpointDirectory() throws Exception {
    ReportFixtures.Paths p = ReportFixtures.write(tmp);
    Path out = tmp.resolve("single");
    assertThat(report(p.a().resolve("results.json").toString(), "--out", out.toString()).exit())
        .isZero();
    String md = Files.readString(tmp.resolve("single.md"));
    assertThat(md).contains("| mix-a | ").contains("| task | mix-a |");
  }

  @Test
  void usageAndInputErrors() throws Exception {
    ReportFixtures.Paths p = ReportFixtures.write(tmp);
    assertThat(report("--out", tmp.resolve("x.html").toString()).exit()).isEqualTo(2);
    assertThat(report(p.a().toString()).exit()).isEqualTo(2); // --out missing
    CliRun nope = report(tmp.resolve("nope").toString(), "--out", tmp.resolve("x.html").toString());
    assertThat(nope.exit()).isEqualTo(2);
    assertThat(nope.err()).contains("no such run directory");
    assertThat(
            report(
                    p.a().toString(),
                    "--decontam",
                    tmp.resolve("missing.json").toString(),
                    "--out",
                    tmp.resolve("x.html").toString())
                .exit())
        .isEqualTo(2);
    Path bad = tmp.resolve("bad.json");
    Files.writeString(
        bad,
        "{\"schema\": \"evalh.decontam/1\", \"tasks\": {\"t\": {\"items\": [{\"doc_id\": 1}]}}}");
    CliRun r =
        report(
            p.a().toString(),
            "--decontam",
            bad.toString(),
            "--out",
            tmp.resolve("x.html").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("bad.json").contains("tasks.t.items[0]: missing boolean 'dirty'");
    assertThat(Files.exists(tmp.resolve("x.html"))).isFalse();
  }

  @Test
  void reportedCleanDirtyColumnsAreShownWithoutDecontamFile() throws Exception {
    Path run =
        Path.of(java.util.Objects.requireNonNull(getClass().getResource("/lm-eval-run")).toURI());
    Path out = tmp.resolve("lm.html");
    CliRun r = report(run.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String md = Files.readString(tmp.resolve("lm.md"));
    // acc_decontaminate 0.41 ± 1.96*0.045 -> 32.2–49.8; acc_dirty 0.30 ± 1.96*0.1 -> 10.4–49.6
    assertThat(md).contains("## Clean vs dirty accuracy: as reported by evalh run --decontam");
    assertThat(md).contains("| mmlu_anatomy | 41.0 (32.2–49.8), n=120 | 30.0 (10.4–49.6), n=15 |");
    // the label is the checkpoint directory of lm-eval's pretrained= argument
    assertThat(md).contains("| task | medu-anneal |");
    // bits per byte without stderr: bootstrap over the logged documents (one document: a point)
    assertThat(md).contains("| wikitext | 0.7650");
  }

  @Test
  void accuracyMetricCanBeChosen() throws Exception {
    Path run =
        Path.of(java.util.Objects.requireNonNull(getClass().getResource("/lm-eval-run")).toURI());
    Path out = tmp.resolve("norm.html");
    CliRun r = report(run.toString(), "--metric", "acc_norm", "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String md = Files.readString(tmp.resolve("norm.md"));
    assertThat(md).contains("## Accuracy (acc_norm) per run, 95% CI");
    // 0.52 of 152 is not a whole number of items, the stderr is NaN and no samples were logged:
    // the value without an interval, and a note saying why
    assertThat(md).contains("| mmlu_astronomy | 52.0 |");
    assertThat(md).contains("mmlu_astronomy · acc_norm: no interval");
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
