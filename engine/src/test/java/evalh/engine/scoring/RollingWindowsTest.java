package evalh.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties of lm-eval's disjoint rolling windows, checked against a direct definition. */
class RollingWindowsTest {

  @Test
  void everyTokenIsPredictedOnceWithTheLongestPrecedingContext() {
    Random rnd = new Random(1);
    for (int trial = 0; trial < 200; trial++) {
      int n = rnd.nextInt(300);
      int max = 1 + rnd.nextInt(70);
      int[] toks = rnd.ints(n, 0, 1000).toArray();
      List<RollingWindows.Window> ws = RollingWindows.of(toks, -1, max, 1);
      int predicted = 0;
      for (RollingWindows.Window w : ws) {
        int p = w.predicted().length;
        assertThat(p).isBetween(1, max);
        // input = (context + predicted)[:-1] has at most max tokens ...
        assertThat(w.context().length + p - 1).isLessThanOrEqualTo(max);
        for (int j = 0; j < p; j++) {
          assertThat(w.predicted()[j]).isEqualTo(toks[predicted + j]);
        }
        // ... and the context is the prefix token or exactly the tokens right before.
        if (predicted == 0) {
          assertThat(w.context()).containsExactly(-1);
        } else {
          int c = w.context().length;
          assertThat(c).isEqualTo(Math.min(predicted, max + 1 - p));
          for (int j = 0; j < c; j++) {
            assertThat(w.context()[j]).isEqualTo(toks[predicted - c + j]);
          }
        }
        predicted += p;
      }
      assertThat(predicted).isEqualTo(n);
    }
  }

  @Test
  void sixtyFiveTokensMakeTwoWindows() {
    int[] toks = new int[65];
    List<RollingWindows.Window> ws = RollingWindows.of(toks, 7, 64, 1);
    assertThat(ws).hasSize(2);
    assertThat(ws.get(0).context()).hasSize(1);
    assertThat(ws.get(0).predicted()).hasSize(64);
    assertThat(ws.get(1).context()).hasSize(64);
    assertThat(ws.get(1).predicted()).hasSize(1);
  }
}
