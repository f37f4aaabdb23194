package evalh.reporting.diff;

import static evalh.reporting.RunFixture.correct;
import static evalh.reporting.RunFixture.flip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import evalh.reporting.CliRun;
import evalh.reporting.RunFixture;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class DiffCommandTest {
  @TempDir Path tmp;

  // anatomy: 100 items, 60 right; virology: 80 items, 40 right
  private static final int[] ANATOMY = correct(100, 60);
  private static final int[] VIROLOGY = correct(80, 40);

  private RunFixture base(String ckpt) {
    return RunFixture.of("/ckpts/" + ckpt)
        .mc("mmlu-anatomy", ANATOMY)
        .mc("mmlu-virology", VIROLOGY)
        .group("mmlu-science", "mmlu-anatomy", "mmlu-virology");
  }

  private static CliRun diff(String... args) {
    return CliRun.of(new DiffCommand(), args);
  }

  @Test
  void noChangeExitsZero() throws Exception {
    Path a = base("mix-a").writeTo(tmp.resolve("a"));
    Path b = base("mix-a").writeTo(tmp.resolve("b"));
    Path junit = tmp.resolve("out/junit.xml");
    CliRun r = diff(a.toString(), b.toString(), "--junit", junit.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("**PASS**").doesNotContain("REGRESSION");
    List<String[]> rows = tableRows(r.out());
    // group: acc and acc_macro; two tasks: acc each
    assertThat(rows).hasSize(4);
    assertThat(rows).allSatisfy(row -> assertThat(row[8]).isEqualTo("same"));
    Document x = validJUnit(junit);
    Element suite = (Element) x.getElementsByTagName("testsuite").item(0);
    assertThat(suite.getAttribute("tests")).isEqualTo("4");
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    assertThat(x.getElementsByTagName("failure").getLength()).isZero();
  }

  @Test
  void exactEqualPairPassesEvenWithFailOnChange() {
    Path a =
        base("mix-a")
            .bpb(
                "paloma-c4_en",
                new double[] {-700, -900},
                new double[] {500, 600},
                new double[] {90, 110})
            .writeTo(tmp.resolve("a"));
    CliRun r = diff(a.toString(), a.toString(), "--fail-on-change");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    // and a results.json path works as well as a directory
    CliRun r2 = diff(a.resolve("results.json").toString(), a.toString(), "--fail-on-change");
    assertThat(r2.exit()).isZero();
  }

  @Test
  void insignificantChangeExitsZero() throws Exception {
    // two right answers become wrong: b = 2, c = 0; exact McNemar p = 2 * 0.5^2 = 0.5
    Path a = base("mix-a").writeTo(tmp.resolve("a"));
    Path b =
        RunFixture.of("/ckpts/mix-b")
            .mc("mmlu-anatomy", flip(ANATOMY, 0, 1))
            .mc("mmlu-virology", VIROLOGY)
            .group("mmlu-science", "mmlu-anatomy", "mmlu-virology")
            .writeTo(tmp.resolve("b"));
    Path junit = tmp.resolve("j.xml");
    CliRun r = diff(a.toString(), b.toString(), "--junit", junit.toString());
    assertThat(r.exit()).as(r.out()).isZero();
    String[] row = row(r.out(), "mmlu-anatomy", "acc ↑");
    assertThat(row[2]).isEqualTo("0.6000");
    assertThat(row[3]).isEqualTo("0.5800");
    assertThat(row[4]).isEqualTo("-2.00 pt");
    assertThat(row[6]).isEqualTo("0.5000");
    assertThat(row[7]).startsWith("McNemar exact");
    assertThat(row[8]).isEqualTo("worse (n.s.)");
    assertThat(r.out()).contains("`mix-a` → `mix-b`");
    assertThat(validJUnit(junit).getElementsByTagName("failure").getLength()).isZero();
  }

  @Test
  void failOnChangeFailsAnInsignificantChange() {
    Path a = base("mix-a").writeTo(tmp.resolve("a"));
    Path b =
        RunFixture.of("/ckpts/mix-b")
            .mc("mmlu-anatomy", flip(ANATOMY, 0))
            .mc("mmlu-virology", VIROLOGY)
            .group("mmlu-science", "mmlu-anatomy", "mmlu-virology")
            .writeTo(tmp.resolve("b"));
    CliRun r = diff(a.toString(), b.toString(), "--fail-on-change");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(row(r.out(), "mmlu-anatomy", "acc ↑")[8]).isEqualTo("**CHANGED**");
    assertThat(row(r.out(), "mmlu-virology", "acc ↑")[8]).isEqualTo("same");
  }

  @Test
  void significantRegressionExitsOneWithJUnitFailures() throws Exception {
    // 20 right answers of anatomy become wrong: b = 20, c = 0 (< 25: exact),
    // p = 2 * 0.5^20 = 1.9073e-6 -> "<0.0001"; drop 20 points > 0.5.
    Path a = base("mix-a").writeTo(tmp.resolve("a"));
    int[] worse = flip(ANATOMY, java.util.stream.IntStream.range(0, 20).toArray());
    Path b =
        RunFixture.of("/ckpts/mix-b")
            .mc("mmlu-anatomy", worse)
            .mc("mmlu-virology", VIROLOGY)
            .group("mmlu-science", "mmlu-anatomy", "mmlu-virology")
            .writeTo(tmp.resolve("b"));
    Path junit = tmp.resolve("j.xml");
    CliRun r = diff(a.toString(), b.toString(), "--junit", junit.toString());
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.out()).contains("**FAIL**");
    String[] anatomy = row(r.out(), "mmlu-anatomy", "acc ↑");
    assertThat(anatomy[4]).isEqualTo("-20.00 pt");
    assertThat(anatomy[6]).isEqualTo("<0.0001");
    assertThat(anatomy[7]).isEqualTo("McNemar exact");
    assertThat(anatomy[8]).isEqualTo("**REGRESSION**");
    // the CI of the difference lies below zero and contains the observed -20 points
    double[] ci = parseInterval(anatomy[5]);
    assertThat(ci[1]).isLessThan(0);
    assertThat(ci[0]).isLessThan(-20).isGreaterThan(-40);
    // group micro: pooled 180 items, b = 20 -> exact McNemar, same p; Δ = -20/180 = -11.11 pt
    String[] group = row(r.out(), "mmlu-science *(group)*", "acc ↑");
    assertThat(group[4]).isEqualTo("-11.11 pt");
    assertThat(group[7]).isEqualTo("McNemar exact");
    assertThat(group[8]).isEqualTo("**REGRESSION**");
    // group macro: (0.4 + 0.5)/2 - (0.6 + 0.5)/2 = -10 points, paired stratified bootstrap
    String[] macro = row(r.out(), "mmlu-science *(group)*", "acc_macro ↑");
    assertThat(macro[4]).isEqualTo("-10.00 pt");
    assertThat(macro[7]).isEqualTo("paired bootstrap");
    assertThat(macro[8]).isEqualTo("**REGRESSION**");
    assertThat(row(r.out(), "mmlu-virology", "acc ↑")[8]).isEqualTo("same");

    Document x = validJUnit(junit);
    Element suite = (Element) x.getElementsByTagName("testsuite").item(0);
    assertThat(suite.getAttribute("tests")).isEqualTo("4");
    assertThat(suite.getAttribute("failures")).isEqualTo("3");
    List<String> failed = new ArrayList<>();
    NodeList cases = x.getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element tc = (Element) cases.item(i);
      NodeList f = tc.getElementsByTagName("failure");
      if (f.getLength() > 0) {
        Element fe = (Element) f.item(0);
        assertThat(fe.getAttribute("type")).isEqualTo("REGRESSION");
        assertThat(fe.getAttribute("message")).contains("worse by").contains("p = ");
        failed.add(tc.getAttribute("classname") + "/" + tc.getAttribute("name"));
      }
    }
    assertThat(failed)
        .containsExactlyInAnyOrder(
            "evalh.mmlu-science/acc", "evalh.mmlu-science/acc_macro", "evalh.mmlu-anatomy/acc");
  }

  @Test
  void manyDiscordantItemsUseChiSquareMcNemar() {
    // anatomy: 20 right -> wrong (items 0..19), 8 wrong -> right (items 60..67): b=20, c=8,
    // b+c = 28 >= 25 -> chi2 = (|20-8|-1)^2/28 = 4.3214, p = erfc(sqrt(4.3214/2)) = 0.037635
    // (python math.erfc); Δ = -12 points
    Path a = base("mix-a").writeTo(tmp.resolve("a"));
    int[] items = new int[28];
    for (int i = 0; i < 20; i++) {
      items[i] = i;
    }
    for (int i = 0; i < 8; i++) {
      items[20 + i] = 60 + i;
    }
    Path b =
        RunFixture.of("/ckpts/mix-b")
            .mc("mmlu-anatomy", flip(ANATOMY, items))
            .mc("mmlu-virology", VIROLOGY)
            .group("mmlu-science", "mmlu-anatomy", "mmlu-virology")
            .writeTo(tmp.resolve("b"));
    CliRun r = diff(a.toString(), b.toString());
    String[] row = row(r.out(), "mmlu-anatomy", "acc ↑");
    assertThat(row[4]).isEqualTo("-12.00 pt");
    assertThat(row[6]).isEqualTo("0.0376");
    assertThat(row[7]).isEqualTo("McNemar χ² cc");
    assertThat(row[8]).isEqualTo("**REGRESSION**");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void regressionWithinThresholdPasses() {
    Path a = base("mix-a").writeTo(tmp.resolve("a"));
    int[] worse = flip(ANATOMY, java.util.stream.IntStream.range(0, 20).toArray());
    Path b =
        RunFixture.of("/ckpts/mix-b")
            .mc("mmlu-anatomy", worse)
            .mc("mmlu-virology", VIROLOGY)
            .group("mmlu-science", "mmlu-anatomy", "mmlu-virology")
            .writeTo(tmp.resolve("b"));
    CliRun r = diff(a.toString(), b.toString(), "--max-drop", "25");
    assertThat(r.exit()).isZero();
    assertThat(row(r.out(), "mmlu-anatomy", "acc ↑")[8]).isEqualTo("worse, within threshold");
  }

  @Test
  void missingTaskInCandidateExitsOne() throws Exception {
    Path a = base("mix-a").writeTo(tmp.resolve("a"));
    Path b = RunFixture.of("/ckpts/mix-b").mc("mmlu-anatomy", ANATOMY).writeTo(tmp.resolve("b"));
    Path junit = tmp.resolve("j.xml");
    CliRun r = diff(a.toString(), b.toString(), "--junit", junit.toString());
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(row(r.out(), "mmlu-virology", "acc ↑")[8]).isEqualTo("**MISSING**");
    assertThat(row(r.out(), "mmlu-anatomy", "acc ↑")[8]).isEqualTo("same");
    Document x = validJUnit(junit);
    NodeList failures = x.getElementsByTagName("failure");
    List<String> types = new ArrayList<>();
    for (int i = 0; i < failures.getLength(); i++) {
      Element f = (Element) failures.item(i);
      types.add(f.getAttribute("type"));
      assertThat(f.getAttribute("message")).contains("missing in candidate");
    }
    // mmlu-virology acc, mmlu-science acc and acc_macro
    assertThat(types).containsOnly("MISSING").hasSize(3);
  }

  @Test
  void bitsPerBytePairedOverDocuments() {
    double[] ll = {-1200, -800, -1500, -950, -1100, -700, -1300, -1000};
    double[] bytes = {1000, 700, 1200, 800, 900, 600, 1100, 850};
    double[] words = {200, 140, 240, 160, 180, 120, 220, 170};
    double[] worse = new double[ll.length];
    for (int i = 0; i < ll.length; i++) {
      worse[i] = ll[i] * 1.05; // every document 5% less likely: bpb +5%
    }
    Path a = RunFixture.of("/c/a").bpb("paloma-c4_en", ll, bytes, words).writeTo(tmp.resolve("a"));
    Path b =
        RunFixture.of("/c/b").bpb("paloma-c4_en", worse, bytes, words).writeTo(tmp.resolve("b"));
    CliRun r = diff(a.toString(), b.toString(), "--metric", "bits_per_byte");
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    String[] row = row(r.out(), "paloma-c4_en", "bits_per_byte ↓");
    // bpb_a = (Σ -ll / Σ bytes) / ln 2 = (8550/7150)/ln 2
    double bpbA = (8550.0 / 7150.0) / Math.log(2);
    assertThat(Double.parseDouble(row[2])).isCloseTo(bpbA, within(5e-5));
    assertThat(Double.parseDouble(row[3])).isCloseTo(bpbA * 1.05, within(5e-5));
    assertThat(row[4]).endsWith("(+5.00%)");
    assertThat(row[7]).isEqualTo("paired bootstrap");
    assertThat(row[8]).isEqualTo("**REGRESSION**");
    // all resampled documents move the same way: p at the bootstrap floor 2/(N+1)
    assertThat(Double.parseDouble(row[6])).isLessThan(0.001);
    // the only rows are bits_per_byte (--metric)
    assertThat(tableRows(r.out())).hasSize(1);
  }

  @Test
  void taskOnlyInCandidateIsNewAndPasses() {
    Path a = RunFixture.of("/ckpts/mix-a").mc("mmlu-anatomy", ANATOMY).writeTo(tmp.resolve("a"));
    Path b = base("mix-b").writeTo(tmp.resolve("b"));
    CliRun r = diff(a.toString(), b.toString());
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(row(r.out(), "mmlu-virology", "acc ↑")[8]).isEqualTo("new");
    assertThat(row(r.out(), "mmlu-science *(group)*", "acc ↑")[8]).isEqualTo("new");
  }

  @Test
  void untestedDropFailsOnlyWithRequireTest() {
    double[] ll = {-1200, -800, -1500};
    double[] bytes = {1000, 700, 1200};
    double[] words = {200, 140, 240};
    double[] worse = {-1260, -840, -1575};
    // no samples, and lm-eval reports no stderr for bits per byte: no test is possible
    Path a =
        RunFixture.of("/c/a")
            .bpb("wikitext-2", ll, bytes, words)
            .samples(false)
            .writeTo(tmp.resolve("a"));
    Path b =
        RunFixture.of("/c/b")
            .bpb("wikitext-2", worse, bytes, words)
            .samples(false)
            .writeTo(tmp.resolve("b"));
    CliRun r = diff(a.toString(), b.toString(), "--metric", "bits_per_byte");
    assertThat(r.exit()).isZero();
    String[] row = row(r.out(), "wikitext-2", "bits_per_byte ↓");
    assertThat(row[7]).startsWith("none");
    assertThat(row[8]).isEqualTo("worse, untested");
    CliRun strict = diff(a.toString(), b.toString(), "--metric", "bits_per_byte", "--require-test");
    assertThat(strict.exit()).isEqualTo(1);
    assertThat(row(strict.out(), "wikitext-2", "bits_per_byte ↓")[8])
        .isEqualTo("**REGRESSION (untested)**");
  }

  @Test
  void withoutSamplesFallsBackToUnpairedZTestFromStderr() {
    Path a = base("mix-a").samples(false).writeTo(tmp.resolve("a"));
    Path b =
        RunFixture.of("/ckpts/mix-b")
            .mc("mmlu-anatomy", flip(ANATOMY, 0, 1, 2, 3, 4))
            .mc("mmlu-virology", VIROLOGY)
            .group("mmlu-science", "mmlu-anatomy", "mmlu-virology")
            .samples(false)
            .writeTo(tmp.resolve("b"));
    CliRun r = diff(a.toString(), b.toString());
    String[] row = row(r.out(), "mmlu-anatomy", "acc ↑");
    assertThat(row[7]).startsWith("unpaired z (stderr)");
    // independent: se_a = sqrt(.6*.4/99), se_b = sqrt(.55*.45/99); z = -0.05/sqrt(se_a²+se_b²)
    double se = Math.sqrt(0.6 * 0.4 / 99 + 0.55 * 0.45 / 99);
    double z = -0.05 / se;
    double p =
        2 * new org.apache.commons.math3.distribution.NormalDistribution().cumulativeProbability(z);
    assertThat(Double.parseDouble(row[6])).isCloseTo(p, within(1e-4));
    assertThat(r.out()).contains("not paired: no samples_mmlu-anatomy.jsonl in mix-a");
    // macro has no stderr and no samples: no test
    assertThat(row(r.out(), "mmlu-science *(group)*", "acc_macro ↑")[7]).startsWith("none");
  }

  @Test
  void samplesThatDoNotReproduceResultsAreNotPaired() throws Exception {
    Path a = base("mix-a").writeTo(tmp.resolve("a"));
    Path b = base("mix-a").writeTo(tmp.resolve("b"));
    // corrupt one per-item value in b's samples: the mean no longer matches results.json
    Path s = b.resolve("samples_mmlu-virology.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(s));
    lines.set(
        0,
        lines.get(0).replace("\"acc\":0.0", "\"acc\":1.0").replace("\"acc\":1.0", "\"acc\":0.0"));
    Files.write(s, lines);
    CliRun r = diff(a.toString(), b.toString());
    assertThat(r.exit()).isZero();
    assertThat(row(r.out(), "mmlu-virology", "acc ↑")[7]).startsWith("unpaired z");
    assertThat(r.out()).contains("results.json says 0.5");
  }

  @Test
  void sameInputsSameOutput() {
    Path a = base("mix-a").writeTo(tmp.resolve("a"));
    Path b =
        RunFixture.of("/ckpts/mix-b")
            .mc("mmlu-anatomy", flip(ANATOMY, 0, 1, 2, 61, 62))
            .mc("mmlu-virology", flip(VIROLOGY, 0, 50))
            .group("mmlu-science", "mmlu-anatomy", "mmlu-virology")
            .writeTo(tmp.resolve("b"));
    assertThat(diff(a.toString(), b.toString()).out())
        .isEqualTo(diff(a.toString(), b.toString()).out());
  }

  @Test
  void usageErrorsExitTwo() {
    Path a = base("mix-a").writeTo(tmp.resolve("a"));
    assertThat(diff().exit()).isEqualTo(2);
    assertThat(diff(a.toString()).exit()).isEqualTo(2);
    CliRun missing = diff(a.toString(), tmp.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("nope").contains("no such run directory");
    assertThat(diff(a.toString(), a.toString(), "--alpha", "1.5").exit()).isEqualTo(2);
    assertThat(diff(a.toString(), a.toString(), "--max-drop", "-1").exit()).isEqualTo(2);
    CliRun metric = diff(a.toString(), a.toString(), "--metric", "f1");
    assertThat(metric.exit()).isEqualTo(2);
    assertThat(metric.err()).contains("--metric f1").contains("available: acc, acc_macro");
    assertThat(diff(a.toString(), a.toString(), "--label", "zzz=x").exit()).isEqualTo(2);
  }

  @Test
  void unreadableResultsExitOneNamingFileAndLine() throws Exception {
    Path a = base("mix-a").writeTo(tmp.resolve("a"));
    Path bad = tmp.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("results.json"), "{\n  \"results\": {\n    \"x\": [1,\n}");
    CliRun r = diff(a.toString(), bad.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("results.json").contains("not valid JSON").contains("line 4");
    // a malformed samples line names the file and the line
    Path b = base("mix-a").writeTo(tmp.resolve("b"));
    Files.writeString(
        b.resolve("samples_mmlu-anatomy.jsonl"), "{\"doc_id\": 0, \"acc\": 1.0}\n{oops\n");
    CliRun r2 = diff(a.toString(), b.toString());
    assertThat(r2.exit()).isEqualTo(1);
    assertThat(r2.err()).contains("samples_mmlu-anatomy.jsonl:2: not valid JSON");
  }

  @Test
  void labelsDefaultToCheckpointDirectoryAndCanBeGiven() {
    Path a = base("mix-a").writeTo(tmp.resolve("run1"));
    Path b = base("mix-b").writeTo(tmp.resolve("run2"));
    assertThat(diff(a.toString(), b.toString()).out()).contains("`mix-a` → `mix-b`");
    assertThat(diff(a.toString(), b.toString(), "--label", "run2=candidate").out())
        .contains("`mix-a` → `candidate`");
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** Table rows split into cells: task, metric, baseline, candidate, Δ, CI, p, test, verdict. */
  static List<String[]> tableRows(String md) {
    List<String[]> rows = new ArrayList<>();
    for (String line : md.split("\n")) {
      if (line.startsWith("| ") && !line.startsWith("| task ")) {
        String[] cells = line.substring(2, line.length() - 2).split(" \\| ", -1);
        rows.add(cells);
      }
    }
    return rows;
  }

  static String[] row(String md, String task, String metric) {
    return tableRows(md).stream()
        .filter(r -> r[0].equals(task) && r[1].equals(metric))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + task + " / " + metric + " in\n" + md));
  }

  private static double[] parseInterval(String cell) {
    String s = cell.replace("[", "").replace("] pt", "").replace("]", "");
    String[] parts = s.split(",");
    return new double[] {
      Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip())
    };
  }

  /** Parses the file and validates it against the JUnit XML schema subset CI tools read. */
  static Document validJUnit(Path file) throws Exception {
    String xml = Files.readString(file);
    var schema =
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
            .newSchema(DiffCommandTest.class.getResource("/junit-surefire-subset.xsd"));
    schema.newValidator().validate(new StreamSource(new StringReader(xml)));
    var f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document d = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    assertThat(d.getDocumentElement().getTagName().toLowerCase(Locale.ROOT))
        .isEqualTo("testsuites");
    return d;
  }
}
