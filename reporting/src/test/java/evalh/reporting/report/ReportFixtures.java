package evalh.reporting.report;

import static evalh.reporting.RunFixture.correct;
import static evalh.reporting.RunFixture.flip;

import evalh.reporting.RunFixture;
import java.nio.file.Path;
import java.util.Map;

/** Two runs of an MMLU-science-like group plus a bpb source, and a decontam report. */
final class ReportFixtures {
  static final String XSS =
      "<script>window.__evalh_xss=1</script><img src=x onerror=\"window.__evalh_xss=2\">";
  static final int[] ANATOMY = correct(100, 60);
  static final int[] VIROLOGY = correct(80, 40);
  static final double[] LL = {-1200, -800, -1500, -950, -1100, -700};
  static final double[] BYTES = {1000, 700, 1200, 800, 900, 600};
  static final double[] WORDS = {200, 140, 240, 160, 180, 120};

  private ReportFixtures() {}

  record Paths(Path a, Path b, Path decontam) {}

  static Paths write(Path tmp) {
    Path a =
        RunFixture.of("/ckpts/mix-a")
            .mc("mmlu-anatomy", ANATOMY)
            .mc("mmlu-virology", VIROLOGY)
            .group("mmlu-science", "mmlu-anatomy", "mmlu-virology")
            .bpb("paloma-c4_en", LL, BYTES, WORDS)
            .questions("mmlu-anatomy", "Which organ? " + XSS)
            .writeTo(tmp.resolve("runs/a"));
    double[] llB = LL.clone();
    for (int i = 0; i < llB.length; i++) {
      llB[i] *= 1.02;
    }
    // b: the dirty anatomy items 0,3,5,7,11 now wrong (20 stays right); virology +5 right
    Path b =
        RunFixture.of("/ckpts/mix-b")
            .mc("mmlu-anatomy", flip(ANATOMY, 0, 3, 5, 7, 11))
            .mc("mmlu-virology", correct(80, 45))
            .group("mmlu-science", "mmlu-anatomy", "mmlu-virology")
            .bpb("paloma-c4_en", llB, BYTES, WORDS)
            .questions("mmlu-anatomy", "Which organ? " + XSS)
            .writeTo(tmp.resolve("runs/b"));
    Path d =
        RunFixture.decontam(
            tmp.resolve("decontam/dclm/decontam.json"),
            "dclm-sample",
            Map.of(
                "mmlu-anatomy", new int[] {0, 3, 5, 7, 11, 20}, "mmlu-virology", new int[] {1, 2}),
            Map.of("mmlu-anatomy", 100, "mmlu-virology", 80),
            Map.of("mmlu-anatomy", new String[] {"Which organ? " + XSS}));
    return new Paths(a, b, d);
  }
}
