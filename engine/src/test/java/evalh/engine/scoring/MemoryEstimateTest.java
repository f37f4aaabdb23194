package evalh.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.engine.Fixtures;
import evalh.engine.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;

/** A model that cannot fit is refused before loading, with the numbers and a dtype that fits. */
class MemoryEstimateTest {

  @Test
  void float32ThatDoesNotFitNamesTheNumbersAndADtypeThatFits() {
    try (Checkpoint c = Checkpoint.open(Fixtures.model("tiny-llama"))) {
      long f32 = LoglikelihoodEngine.neededBytes(c, "float32");
      long bf16 = LoglikelihoodEngine.neededBytes(c, "bfloat16");
      assertThat(bf16).isLessThan(f32);
      long available = (f32 + bf16) / 2;
      assertThatThrownBy(() -> LoglikelihoodEngine.requireMemory(c, "float32", available, "cpu"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("needs ~")
          .hasMessageContaining("in float32")
          .hasMessageContaining("available on cpu")
          .hasMessageContaining("try --dtype bfloat16");
      assertThatCode(() -> LoglikelihoodEngine.requireMemory(c, "bfloat16", available, "cpu"))
          .doesNotThrowAnyException();
      assertThatThrownBy(() -> LoglikelihoodEngine.requireMemory(c, "bfloat16", bf16 - 1, "cpu"))
          .hasMessageContaining("in bfloat16")
          .hasMessageNotContaining("try --dtype");
    }
  }

  @Test
  void the8bShapeNeedsAbout32GiBInFloat32And16InBfloat16() {
    // Llama-3-8B: 8,030,261,248 parameters.
    long p = 8_030_261_248L;
    assertThat(p * 4 / (double) (1L << 30)).isBetween(29.0, 31.0);
    assertThat(p * 2 / (double) (1L << 30)).isBetween(14.0, 16.0);
  }
}
