package evalh.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.engine.checkpoint.ModelConfig;
import evalh.engine.model.PackedRow;
import evalh.engine.model.ScoringModel;
import evalh.engine.runtime.TensorRuntime.TargetScores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scheduling against a fake model whose memory runs out above a batch size. */
class TokenScorerTest {

  /** Answers log-prob -(target+1) and argmax = target; throws like PyTorch above a padded size. */
  private static final class FakeModel implements ScoringModel {
    final int limit;
    final List<Integer> batchSizes = new ArrayList<>();

    FakeModel(int limit) {
      this.limit = limit;
    }

    @Override
    public TargetScores score(List<PackedRow> rows, ScoringModel.Prefix prefix) {
      int padded = rows.size() * rows.stream().mapToInt(PackedRow::length).max().orElse(0);
      if (padded > limit) {
        throw new IllegalStateException(
            "wrapped", new RuntimeException("CUDA out of memory. Tried to allocate 2.00 GiB"));
      }
      batchSizes.add(padded);
      int n = rows.stream().mapToInt(r -> r.targets().length).sum();
      double[] lp = new double[n];
      int[] am = new int[n];
      int k = 0;
      for (PackedRow r : rows) {
        for (int t : r.targets()) {
          lp[k] = -(t + 1);
          am[k++] = t;
        }
      }
      return new TargetScores(lp, am);
    }

    @Override
    public ScoringModel.Prefix prefill(int[] tokens) {
      throw new UnsupportedOperationException();
    }
  }

  private static List<TokenRequest> requests(int n, int len) {
    List<TokenRequest> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] shared = new int[len];
      shared[0] = i; // distinct contexts: no packing
      out.add(new TokenRequest(shared, new int[] {i % 7, 3}, false));
    }
    return out;
  }

  /**
   * lm-eval's --batch-size N: N sequences per batch, the last one the remainder (23 = 5+5+5+5+3).
   */
  @Test
  void batchSequencesMeansRowsPerBatchNotTokens() {
    FakeModel m = new FakeModel(Integer.MAX_VALUE);
    TokenScorer s = new TokenScorer(m, 512, Integer.MAX_VALUE, 5, false);
    List<TokenScorer.TokenScores> got = s.score(requests(23, 10), Progress.NONE);
    assertThat(got).hasSize(23);
    assertThat(m.batchSizes).containsExactly(5 * 11, 5 * 11, 5 * 11, 5 * 11, 3 * 11);

    // With a token budget as well, whichever is smaller bounds a batch: 33 tokens = 3 rows.
    FakeModel both = new FakeModel(Integer.MAX_VALUE);
    new TokenScorer(both, 512, 33, 5, false).score(requests(7, 10), Progress.NONE);
    assertThat(both.batchSizes).containsExactly(3 * 11, 3 * 11, 1 * 11);
  }

  @Test
  void budgetHalvesOnOutOfMemoryAndEveryRequestIsAnswered() {
    FakeModel m = new FakeModel(100);
    TokenScorer s = new TokenScorer(m, 512, 1000, false);
    List<TokenScorer.TokenScores> got = s.score(requests(30, 10), Progress.NONE);
    for (int i = 0; i < 30; i++) {
      assertThat(got.get(i).logprobs()).containsExactly(-(i % 7 + 1), -4);
      assertThat(got.get(i).greedy()).isTrue();
    }
    assertThat(m.batchSizes).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(100));
    assertThat(s.budget().batchTokens()).isLessThanOrEqualTo(100);
    // 30 rows of 11 tokens: a 330-token batch fails, then 165 (15 rows) fails, then 82 (7 rows)
    // fits.
    assertThat(s.budget()).isEqualTo(new TokenScorer.Budget(82, 2));
    assertThat(s.counters().forwardTokens()).isEqualTo(30 * 11);
  }

  @Test
  void aSingleRowThatDoesNotFitAndOtherErrorsPropagate() {
    assertThatThrownBy(
            () ->
                new TokenScorer(new FakeModel(5), 512, 1000, false)
                    .score(requests(2, 10), Progress.NONE))
        .hasRootCauseMessage("CUDA out of memory. Tried to allocate 2.00 GiB");
    ScoringModel broken =
        new ScoringModel() {
          @Override
          public TargetScores score(List<PackedRow> rows, ScoringModel.Prefix prefix) {
            throw new IllegalArgumentException("shape mismatch");
          }

          @Override
          public ScoringModel.Prefix prefill(int[] tokens) {
            throw new UnsupportedOperationException();
          }
        };
    assertThatThrownBy(
            () -> new TokenScorer(broken, 512, 1000, false).score(requests(4, 10), Progress.NONE))
        .hasMessage("shape mismatch");
  }

  @Test
  void autoBudgetScalesWithFreeMemoryWithinBounds() {
    ModelConfig c =
        ModelConfig.parse(
            "test",
            evalh.engine.Fixtures.JSON
                .createObjectNode()
                .put("hidden_size", 4096)
                .put("num_attention_heads", 32)
                .put("num_key_value_heads", 8)
                .put("num_hidden_layers", 32)
                .put("intermediate_size", 14336)
                .put("vocab_size", 128256)
                .set(
                    "architectures",
                    evalh.engine.Fixtures.JSON.createArrayNode().add("LlamaForCausalLM")));
    // per token: 4 bytes x ((32 + 12) x 4096 + 4 x 14336) = 950,272 bytes
    assertThat(LoglikelihoodEngine.autoBatchTokens(c, 16L << 30, "float32"))
        .isEqualTo((int) ((16L << 30) / 4 / 950_272));
    assertThat(LoglikelihoodEngine.autoBatchTokens(c, 1L << 20, "float32")).isEqualTo(256);
    assertThat(LoglikelihoodEngine.autoBatchTokens(c, 1L << 50, "float16")).isEqualTo(131072);
  }
}
