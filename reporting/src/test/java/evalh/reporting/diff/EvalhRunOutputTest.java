package evalh.reporting.diff;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.reporting.CliRun;
import evalh.reporting.report.ReportCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads a run directory written by the real {@code evalh run --task mmlu-science --ckpt demo}
 * (copied into the test resources, cache removed): the CI gate's input.
 */
class EvalhRunOutputTest {
  @TempDir Path tmp;

  private static Path demoRun() throws Exception {
    return Path.of(
        Objects.requireNonNull(EvalhRunOutputTest.class.getResource("/evalh-run-demo")).toURI());
  }

  /** A copy of the demo run, so that the two sides are different directories as in CI. */
  private Path copy(String name) throws Exception {
    Path dst = tmp.resolve(name);
    Files.createDirectories(dst);
    try (Stream<Path> files = Files.list(demoRun())) {
      for (Path f : files.toList()) {
        Files.copy(f, dst.resolve(f.getFileName()));
      }
    }
    return dst;
  }

  @Test
  void demoRunAgainstItsCopyPassesTheCiGate() throws Exception {
    Path baseline = copy("baseline");
    Path candidate = copy("candidate");
    Path junit = tmp.resolve("evalh-diff.xml");
    CliRun r =
        CliRun.of(
            new DiffCommand(),
            baseline.toString(),
            candidate.toString(),
            "--fail-on-change",
            "--junit",
            junit.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    List<String[]> rows = DiffCommandTest.tableRows(r.out());
    // mmlu-science acc and acc_macro + 16 subjects
    assertThat(rows).hasSize(18);
    assertThat(rows).allSatisfy(row -> assertThat(row[8]).isEqualTo("same"));
    // every row was paired on the logged samples
    assertThat(rows)
        .allSatisfy(row -> assertThat(row[7]).isIn("McNemar exact", "paired bootstrap"));
    // label: both runs score the "demo" checkpoint, told apart by their directories
    assertThat(r.out()).contains("`demo (baseline)` → `demo (candidate)`");
    assertThat(DiffCommandTest.validJUnit(junit).getElementsByTagName("testcase").getLength())
        .isEqualTo(18);
  }

  @Test
  void oneChangedAnswerFailsTheCiGateButNotTheSignificanceGate() throws Exception {
    Path baseline = copy("baseline");
    Path candidate = copy("candidate");
    // make the one anatomy item the demo model got right wrong, and update results.json
    Path samples = candidate.resolve("samples_mmlu-anatomy.jsonl");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(samples));
    int right = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"acc\":1.0")) {
        right = i;
      }
    }
    assertThat(right).isNotNegative();
    lines.set(right, lines.get(right).replace("\"acc\":1.0", "\"acc\":0.0"));
    Files.write(samples, lines);
    Path results = candidate.resolve("results.json");
    String json = Files.readString(results);
    // anatomy 1/3 -> 0/3; group micro 13/48 -> 12/48
    json =
        json.replaceFirst(
                "(\"mmlu-anatomy\" : \\{\\s*\"alias\" : \"[^\"]*\",\\s*\"acc,none\" : )0\\.3333333333333333",
                "$10.0")
            .replace("\"acc,none\" : 0.2708333333333333", "\"acc,none\" : 0.25");
    Files.writeString(results, json);

    CliRun gate =
        CliRun.of(new DiffCommand(), baseline.toString(), candidate.toString(), "--fail-on-change");
    assertThat(gate.exit()).as(gate.out()).isEqualTo(1);
    assertThat(DiffCommandTest.row(gate.out(), "mmlu-anatomy", "acc ↑")[8])
        .isEqualTo("**CHANGED**");

    // the significance gate: one discordant item is no evidence (exact McNemar p = 1)
    CliRun sig = CliRun.of(new DiffCommand(), baseline.toString(), candidate.toString());
    assertThat(sig.exit()).as(sig.out()).isZero();
    String[] row = DiffCommandTest.row(sig.out(), "mmlu-anatomy", "acc ↑");
    assertThat(row[4]).isEqualTo("-33.33 pt");
    assertThat(row[6]).isEqualTo("1.0000");
    assertThat(row[8]).isEqualTo("worse (n.s.)");
    String[] group = DiffCommandTest.row(sig.out(), "mmlu-science *(group)*", "acc ↑");
    assertThat(group[2]).isEqualTo("0.2708");
    assertThat(group[3]).isEqualTo("0.2500");
    assertThat(group[7]).isEqualTo("McNemar exact");
  }

  @Test
  void demoRunRendersAReport() throws Exception {
    Path out = tmp.resolve("demo.html");
    CliRun r = CliRun.of(new ReportCommand(), demoRun().toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String md = Files.readString(tmp.resolve("demo.md"));
    // 13 of 48 right in the group; anatomy 1 of 3 (Wilson 95%: 0.06149..0.79234, python)
    assertThat(md).contains("| mmlu-science *(group)* | 27.1 (");
    assertThat(md).contains("| mmlu-anatomy | 33.3 (6.1–79.2) |");
    assertThat(md).contains("| task | demo |");
  }
}
