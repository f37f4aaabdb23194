package evalh.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.engine.Fixtures;
import evalh.engine.checkpoint.Checkpoint;
import evalh.engine.checkpoint.DType;
import evalh.engine.model.Transformer;
import evalh.engine.scoring.Progress;
import evalh.engine.scoring.TokenRequest;
import evalh.engine.scoring.TokenScorer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fixture comparison catches a wrong op: with RoPE's cos and sin swapped, TorchRuntime's
 * log-probs leave the float64 reference's tolerance, while the intact runtime stays inside it.
 */
class TorchSabotageTest {

  /** Largest per-token |log-prob error| over the fixture sequences of tiny-llama. */
  @SuppressWarnings("unchecked")
  private static double maxError(boolean sabotage) {
    JsonNode exp = Fixtures.expected("logprobs-tiny-llama.json");
    try (Checkpoint ckpt = Checkpoint.open(Fixtures.model("tiny-llama"));
        TorchRuntime real = BundledTorch.cpuFloat32(DType.BF16)) {
      TensorRuntime<Object> rt =
          (TensorRuntime<Object>)
              Proxy.newProxyInstance(
                  TensorRuntime.class.getClassLoader(),
                  new Class<?>[] {TensorRuntime.class},
                  (proxy, m, args) -> {
                    Object[] a = args;
                    if (sabotage && m.getName().equals("rope")) {
                      a = new Object[] {args[0], args[2], args[1]};
                    }
                    try {
                      return m.invoke(real, a);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      Transformer<Object> model = Transformer.load(ckpt, rt);
      double worst = 0;
      for (JsonNode seq : exp.path("sequences")) {
        int[] ids = Fixtures.ints(seq.path("input_ids"));
        if (ids.length < 2) {
          continue;
        }
        TokenRequest r =
            new TokenRequest(new int[] {ids[0]}, Arrays.copyOfRange(ids, 1, ids.length), false);
        double[] got =
            new TokenScorer(model, 512, 4096, false)
                .score(List.of(r), Progress.NONE)
                .get(0)
                .logprobs();
        JsonNode want = seq.path("next_token_logprobs");
        for (int i = 0; i < want.size(); i++) {
          worst = Math.max(worst, Math.abs(got[i] - want.get(i).asDouble()));
        }
      }
      return worst;
    }
  }

  @Test
  void aWrongOpFailsTheComparison() {
    assertThat(maxError(false)).isLessThan(Fixtures.LOGPROB_TOL);
    assertThat(maxError(true)).isGreaterThan(100 * Fixtures.LOGPROB_TOL);
  }
}
