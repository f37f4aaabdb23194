package evalh.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.engine.Fixtures;
import evalh.engine.checkpoint.Checkpoint;
import evalh.engine.checkpoint.DType;
import evalh.engine.model.Transformer;
import evalh.engine.runtime.BundledTorch;
import evalh.engine.runtime.TorchRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fixtures' long sequences (64 tokens and more) in small batches (700 tokens), alone and beside
 * rows that continue a shared 200- or 250-token prefix (cascade attention over the cached prefix),
 * reproduce the float64 reference log-probs.
 */
class LongSequenceReferenceTest {

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-qwen2"})
  void tinyBlocksMatchTheReference(String model) {
    JsonNode exp = Fixtures.expected("logprobs-" + model + ".json");
    try (Checkpoint ckpt = Checkpoint.open(Fixtures.model(model));
        TorchRuntime rt = BundledTorch.cpuFloat32(DType.F32)) {
      Transformer<?> t = Transformer.load(ckpt, rt);
      List<TokenRequest> reqs = new ArrayList<>();
      List<JsonNode> seqs = new ArrayList<>();
      for (JsonNode seq : exp.path("sequences")) {
        int[] ids = Fixtures.ints(seq.path("input_ids"));
        if (ids.length >= 64) {
          reqs.add(
              new TokenRequest(new int[] {ids[0]}, Arrays.copyOfRange(ids, 1, ids.length), false));
          seqs.add(seq);
        }
      }
      assertThat(seqs).hasSize(3);
      // Two copies of each sequence behind a common 64-token prefix exercise the prefix path too.
      for (boolean share : new boolean[] {false, true}) {
        List<TokenRequest> batch = new ArrayList<>(reqs);
        if (share) {
          int[] ids = Fixtures.ints(seqs.get(2).path("input_ids"));
          for (int cut : new int[] {200, 250}) {
            batch.add(
                new TokenRequest(
                    Arrays.copyOf(ids, cut), Arrays.copyOfRange(ids, cut, cut + 20), false));
          }
        }
        List<TokenScorer.TokenScores> got =
            new TokenScorer(t, 512, 700, share).score(batch, Progress.NONE);
        for (int r = 0; r < seqs.size(); r++) {
          JsonNode want = seqs.get(r).path("next_token_logprobs");
          for (int i = 0; i < want.size(); i++) {
            assertThat(got.get(r).logprobs()[i])
                .as("%s seq %d pos %d share %s", model, r, i, share)
                .isCloseTo(want.get(i).asDouble(), within(Fixtures.LOGPROB_TOL));
          }
        }
        if (share) {
          JsonNode want = seqs.get(2).path("next_token_logprobs");
          for (int k = 0; k < 2; k++) {
            int cut = k == 0 ? 200 : 250;
            for (int j = 0; j < 20; j++) {
              assertThat(got.get(3 + k).logprobs()[j])
                  .isCloseTo(want.get(cut - 1 + j).asDouble(), within(Fixtures.LOGPROB_TOL));
            }
          }
        }
      }
    }
  }
}
