package evalh.reporting.report;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.reporting.CliRun;
import evalh.reporting.RunFixture;
import evalh.reporting.diff.DiffCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {
  @TempDir Path tmp;

  private static String pct(double p) {
    return String.format(Locale.ROOT, "%.1f", 100 * p);
  }

  /** "55.0 ± 5.0" as the report writes a proportion of {@code right} out of 100 with its stderr. */
  private static String acc(int right) {
    double p = right / 100.0;
    double se = Math.sqrt(p * (1 - p) / 99);
    return pct(p) + " ± " + pct(se);
  }

  @Test
  void curvesWithManyStepsInHtmlAndTheSameNumbersInMarkdown() throws Exception {
    Path sweep = SweepFixtures.write(tmp.resolve("sweep"), 4);
    Path out = tmp.resolve("r/curves.html");
    CliRun r = CliRun.of(new ReportCommand(), sweep.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String html = Files.readString(out);
    String md = Files.readString(tmp.resolve("r/curves.md"));
    // one panel per task and metric: anatomy acc, c4 bpb
    assertThat(html.split("<svg class=\"chart curve\"", -1)).hasSize(3);
    assertThat(html).contains("(log scale");
    // 4 points per run per panel
    assertThat(html.split("<circle class=\"point\"", -1)).hasSize(1 + 2 * 2 * 4);
    assertThat(html).contains(SweepFixtures.A).contains(SweepFixtures.B);
    // the Markdown: a row per step with both runs' values, hand-computed
    for (int i = 0; i < 4; i++) {
      assertThat(md)
          .contains(
              "| "
                  + SweepFixtures.STEPS[i]
                  + " | "
                  + acc(SweepFixtures.RIGHT_A[i])
                  + " | "
                  + acc(SweepFixtures.RIGHT_B[i])
                  + " |");
      assertThat(md)
          .contains(
              String.format(
                  Locale.ROOT,
                  "| %d | %.4f | %.4f |",
                  SweepFixtures.STEPS[i],
                  SweepFixtures.bpb(SweepFixtures.SCALE_A[i]),
                  SweepFixtures.bpb(SweepFixtures.SCALE_B[i])));
    }
    // the final values: last step of each run, in both renderings
    String finalAcc = acc(60) + " (step 10000)";
    assertThat(md)
        .contains("| mmlu-anatomy | acc | " + finalAcc + " | " + acc(66) + " (step 10000) |");
    assertThat(html).contains(finalAcc.replace("±", "&plusmn;"));
    // the bar charts show the last checkpoints, labelled by run
    assertThat(md).contains("| " + SweepFixtures.A + " | " + sweep.resolve(SweepFixtures.A));
  }

  @Test
  void oneStepAndTokensOnTheXAxis() throws Exception {
    Path sweep = tmp.resolve("sweep");
    SweepFixtures.point(sweep, "only", 2, 55, 0.8);
    Path out = tmp.resolve("one.html");
    CliRun r =
        CliRun.of(
            new ReportCommand(),
            sweep.resolve("only").toString(),
            "--x",
            "tokens",
            "--label",
            "only=single checkpoint",
            "--out",
            out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String html = Files.readString(out);
    assertThat(html.split("<circle class=\"point\"", -1)).hasSize(3);
    assertThat(html).doesNotContain("<polyline").doesNotContain("(log scale");
    assertThat(html).contains(">tokens<").contains("single checkpoint");
    // 1000 steps x 2048 tokens: centred on a linear axis from 0 to 4.1M
    assertThat(html).contains(">2M<").contains(">4M<");
    assertThat(Files.readString(tmp.resolve("one.md"))).contains("| 1000 | " + acc(55) + " |");
  }

  @Test
  void aPartialSweepIsReportedWithItsUnfinishedSteps() throws Exception {
    Path sweep = SweepFixtures.write(tmp.resolve("sweep"), 2);
    Files.createDirectories(sweep.resolve(SweepFixtures.B).resolve("1000/cache")); // killed
    Path out = tmp.resolve("partial.html");
    CliRun r = CliRun.of(new ReportCommand(), sweep.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String md = Files.readString(tmp.resolve("partial.md"));
    assertThat(md)
        .contains(
            SweepFixtures.B
                + ": step folder(s) without results.json (unfinished or failed), left out: 1000");
    assertThat(md).contains("| 1000 | " + acc(55) + " | — |");
    assertThat(md).contains(acc(52) + " (step 100)");
  }

  @Test
  void diffComparesTheLastCheckpointsOrThoseAtStep() throws Exception {
    Path sweep = SweepFixtures.write(tmp.resolve("sweep"), 4);
    Path a = sweep.resolve(SweepFixtures.A);
    Path b = sweep.resolve(SweepFixtures.B);
    CliRun last = CliRun.of(new DiffCommand(), a.toString(), b.toString(), "--metric", "acc");
    assertThat(last.exit()).as(last.err()).isZero();
    assertThat(last.out()).contains("| mmlu-anatomy | acc ↑ | 0.6000 | 0.6600 | +6.00 pt |");
    CliRun at = CliRun.of(new DiffCommand(), a.toString(), b.toString(), "--step", "10");
    assertThat(at.exit()).as(at.err()).isZero();
    assertThat(at.out()).contains("| mmlu-anatomy | acc ↑ | 0.4000 | 0.4500 | +5.00 pt |");
    CliRun missing = CliRun.of(new DiffCommand(), a.toString(), b.toString(), "--step", "7");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err())
        .contains("no finished checkpoint at step 7 (steps: 10, 100, 1000, 10000)");
    CliRun whole = CliRun.of(new DiffCommand(), sweep.toString(), b.toString());
    assertThat(whole.exit()).isEqualTo(2);
    assertThat(whole.err()).contains("a sweep of 2 runs");
    Path plain =
        RunFixture.of("/ckpts/x")
            .mc("mmlu-anatomy", RunFixture.correct(100, 50))
            .writeTo(tmp.resolve("plain"));
    CliRun notSweep =
        CliRun.of(new DiffCommand(), plain.toString(), plain.toString(), "--step", "10");
    assertThat(notSweep.exit()).isEqualTo(2);
    assertThat(notSweep.err()).contains("neither run is a sweep");
  }
}
