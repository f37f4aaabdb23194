package evalh.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.engine.Fixtures;
import evalh.engine.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistral's sliding window, checked against an independent identity: in a one-layer model whose
 * queries see only the last w keys, the prediction at position t equals that of full attention run
 * on just those w tokens (RoPE depends only on relative positions).
 */
class SlidingWindowTest {
  @TempDir Path tmp;

  /** tiny-llama cut to its first layer, saved as a single safetensors file. */
  private Path oneLayer(String arch, Integer window) throws IOException {
    Path src = Fixtures.model("tiny-llama");
    Path dst = Files.createDirectories(tmp.resolve(arch + "-" + window));
    for (String f : List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
      Files.copy(src.resolve(f), dst.resolve(f));
    }
    ObjectNode cfg = (ObjectNode) Fixtures.JSON.readTree(src.resolve("config.json").toFile());
    cfg.put("num_hidden_layers", 1);
    cfg.putArray("architectures").add(arch);
    if (window != null) {
      cfg.put("sliding_window", window);
    }
    Fixtures.JSON.writeValue(dst.resolve("config.json").toFile(), cfg);
    Map<String, SafetensorsWriter.Entry> kept = new LinkedHashMap<>();
    try (Stream<Path> shards = Files.list(src)) {
      for (Path p : shards.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList()) {
        kept.putAll(Fixtures.tensorsOf(p));
      }
      kept.keySet().removeIf(name -> name.startsWith("model.layers.1."));
    }
    SafetensorsWriter.write(dst.resolve("model.safetensors"), kept);
    return dst;
  }

  private static LoglikelihoodEngine open(Path dir) {
    return LoglikelihoodEngine.open(dir.toString(), EngineOptions.defaults().withDevice("cpu"));
  }

  @Test
  void windowedPredictionEqualsFullAttentionOverTheWindow() throws IOException {
    int w = 6;
    int[] ids = new int[40];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (i * 37 + 11) % 498;
    }
    try (LoglikelihoodEngine windowed = open(oneLayer("MistralForCausalLM", w));
        LoglikelihoodEngine full = open(oneLayer("LlamaForCausalLM", null))) {
      TokenRequest whole =
          new TokenRequest(new int[] {ids[0]}, Arrays.copyOfRange(ids, 1, ids.length), false);
      double[] got = windowed.scoreTokens(List.of(whole), Progress.NONE).get(0).logprobs();
      double[] dense = full.scoreTokens(List.of(whole), Progress.NONE).get(0).logprobs();
      int differs = 0;
      for (int t = 0; t + 1 < ids.length; t++) {
        int start = Math.max(0, t - w + 1);
        TokenRequest last =
            new TokenRequest(Arrays.copyOfRange(ids, start, t + 1), new int[] {ids[t + 1]}, false);
        double want = full.scoreTokens(List.of(last), Progress.NONE).get(0).sum();
        assertThat(got[t]).as("position %d", t).isCloseTo(want, within(2e-5));
        if (Math.abs(got[t] - dense[t]) > 1e-3) {
          differs++;
        }
      }
      // The window must matter: beyond w tokens, windowed and dense attention disagree.
      assertThat(differs).isGreaterThan(20);
      assertThat(Arrays.copyOfRange(got, 0, w))
          .containsExactly(Arrays.copyOfRange(dense, 0, w), within(1e-6));
    }
  }
}
