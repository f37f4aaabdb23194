package evalh.reporting.diff;

import static evalh.reporting.RunFixture.correct;
import static evalh.reporting.diff.DiffCommandTest.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import evalh.reporting.CliRun;
import evalh.reporting.RunFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without samples, small counts or a zero stderr get Fisher's exact test, not a z-test. */
class SmallSampleDiffTest {
  @TempDir Path tmp;

  private Path run(String name, int n, int right) {
    return RunFixture.of("/ckpts/" + name)
        .mc("tiny-task", correct(n, right))
        .samples(false)
        .writeTo(tmp.resolve(name));
  }

  @Test
  void threeOfThreeToZeroOfThreeIsNotSignificant() {
    CliRun r = CliRun.of(new DiffCommand(), run("a", 3, 3).toString(), run("b", 3, 0).toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    String[] row = row(r.out(), "tiny-task", "acc ↑");
    assertThat(row[7]).startsWith("Fisher exact");
    assertThat(Double.parseDouble(row[6])).isCloseTo(0.1, within(1e-4)); // exact: 2 / C(6,3)
    assertThat(row[8]).isEqualTo("worse (n.s.)");
    assertThat(r.out()).contains("Fisher's exact test on the counts");
  }

  @Test
  void a400ItemDropOf25PointsIsStillARegression() {
    CliRun r =
        CliRun.of(new DiffCommand(), run("a", 400, 300).toString(), run("b", 400, 200).toString());
    assertThat(r.exit()).isEqualTo(1);
    String[] row = row(r.out(), "tiny-task", "acc ↑");
    assertThat(row[8]).contains("REGRESSION");
  }
}
