package evalh.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.engine.Fixtures;
import java.io.IOException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three later families' config.json keys as transformers reads them, and one refusal per
 * math-changing key evalh does not implement: each error names the key and its value.
 */
class ArchitectureConfigTest {

  private static ObjectNode config(String model) throws IOException {
    return (ObjectNode)
        Fixtures.JSON.readTree(Fixtures.model(model).resolve("config.json").toFile());
  }

  private static ModelConfig parse(String model, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode c = config(model);
    edit.accept(c);
    return ModelConfig.parse(model + "/config.json", c);
  }

  private static void refused(String model, Consumer<ObjectNode> edit, String... message) {
    assertThatThrownBy(() -> parse(model, edit))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(model + "/config.json")
        .satisfies(
            e -> {
              for (String m : message) {
                assertThat(e).hasMessageContaining(m);
              }
            });
  }

  @Test
  void fixtureConfigsReadAsTheFixturesReadmeDescribesThem() throws IOException {
    ModelConfig q = parse("tiny-qwen3", c -> {});
    assertThat(q.family()).isEqualTo(Architecture.QWEN3);
    assertThat(q.headDim()).isEqualTo(24);
    assertThat(q.rotaryDim()).isEqualTo(24);
    assertThat(q.tieWordEmbeddings()).isTrue();
    assertThat(q.qkvBias()).isFalse();
    assertThat(q.normEps()).isEqualTo(1e-6);

    ModelConfig o = parse("tiny-olmo2", c -> {});
    assertThat(o.family()).isEqualTo(Architecture.OLMO2);
    assertThat(o.headDim()).isEqualTo(16);
    assertThat(o.ropeTheta()).isEqualTo(500000.0);
    assertThat(o.tieWordEmbeddings()).isFalse();

    ModelConfig n = parse("tiny-gpt-neox", c -> {});
    assertThat(n.family()).isEqualTo(Architecture.GPT_NEOX);
    assertThat(n.headDim()).isEqualTo(16);
    assertThat(n.rotaryDim()).isEqualTo(4); // int(16 * 0.25)
    assertThat(n.normEps()).isEqualTo(1e-5);
    assertThat(n.parallelResidual()).isTrue();
    assertThat(n.qkvBias()).isTrue();
    assertThat(n.oBias()).isTrue();
    assertThat(n.mlpBias()).isTrue();
    assertThat(
            parse("tiny-gpt-neox", c -> c.put("use_parallel_residual", false)).parallelResidual())
        .isFalse();
  }

  @Test
  void gptNeoxReadsEitherSpellingOfTheRotarySettings() throws IOException {
    ModelConfig v4 =
        parse(
            "tiny-gpt-neox",
            c -> {
              c.remove("partial_rotary_factor");
              c.remove("rope_theta");
              c.put("rotary_pct", 0.5);
              c.put("rotary_emb_base", 500);
            });
    assertThat(v4.rotaryDim()).isEqualTo(8);
    assertThat(v4.ropeTheta()).isEqualTo(500.0);
    ModelConfig v5 =
        parse(
            "tiny-gpt-neox",
            c -> {
              c.remove("rotary_pct");
              c.remove("rotary_emb_base");
              c.put("partial_rotary_factor", 1.0);
              c.put("rope_theta", 20000);
            });
    assertThat(v5.rotaryDim()).isEqualTo(16);
    assertThat(v5.ropeTheta()).isEqualTo(20000.0);
    refused(
        "tiny-gpt-neox",
        c -> c.put("partial_rotary_factor", 0.5),
        "rotary_pct 0.25 and partial_rotary_factor 0.5 disagree");
    refused(
        "tiny-gpt-neox",
        c -> c.put("rotary_pct", 0.1).put("partial_rotary_factor", 0.1),
        "rotary_pct 0.1 gives 1 rotary dims");
  }

  @Test
  void transformersV5RopeParametersReadAsTheV4Keys() throws IOException {
    ModelConfig v4 = parse("tiny-gpt-neox", c -> {});
    ModelConfig v5 =
        parse(
            "tiny-gpt-neox",
            c -> {
              for (String k :
                  new String[] {
                    "rotary_pct",
                    "partial_rotary_factor",
                    "rotary_emb_base",
                    "rope_theta",
                    "rope_scaling"
                  }) {
                c.remove(k);
              }
              c.putObject("rope_parameters")
                  .put("rope_type", "default")
                  .put("rope_theta", 10000.0)
                  .put("partial_rotary_factor", 0.25);
            });
    assertThat(v5).isEqualTo(v4);
    ModelConfig llamaV4 = parse("tiny-llama", c -> {});
    ModelConfig llamaV5 =
        parse(
            "tiny-llama",
            c -> {
              ObjectNode rp = ((ObjectNode) c.remove("rope_scaling")).deepCopy();
              rp.set("rope_theta", c.remove("rope_theta"));
              c.set("rope_parameters", rp);
            });
    assertThat(llamaV5.ropeScaling()).isEqualTo(llamaV4.ropeScaling());
    assertThat(llamaV5.ropeTheta()).isEqualTo(500000.0);
    refused(
        "tiny-olmo2",
        c -> c.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 10000.0),
        "rope_theta 500000.0 and rope_parameters.rope_theta 10000.0 disagree");
    refused(
        "tiny-qwen3",
        c -> c.putObject("rope_parameters").put("rope_type", "yarn").put("factor", 4.0),
        "rope_scaling type 'yarn' is not supported");
  }

  @ParameterizedTest
  @ValueSource(strings = {"yarn", "dynamic", "longrope"})
  void ropeScalingTypesOtherThanLinearAndLlama3AreRefused(String type) {
    for (String model : Fixtures.MODELS) {
      refused(
          model,
          c -> c.putObject("rope_scaling").put("rope_type", type).put("factor", 4.0),
          "rope_scaling type '" + type + "' is not supported");
    }
  }

  @Test
  void qwen3SlidingWindowLayersAreRefused() {
    refused(
        "tiny-qwen3",
        c -> c.put("use_sliding_window", true).put("sliding_window", 128),
        "use_sliding_window true is not supported",
        "sliding_window 128");
  }

  @Test
  void slidingAttentionLayerTypesAreRefused() {
    refused(
        "tiny-qwen3",
        c ->
            ((com.fasterxml.jackson.databind.node.ArrayNode) c.get("layer_types"))
                .set(1, "sliding_attention"),
        "layer_types[1] \"sliding_attention\" is not supported");
  }

  @Test
  void clipQkvIsRefused() {
    refused("tiny-olmo2", c -> c.put("clip_qkv", 8.0), "clip_qkv 8.0 is not supported");
  }

  @Test
  void attentionLogitSoftCappingIsRefused() {
    refused(
        "tiny-qwen3",
        c -> c.put("attn_logit_softcapping", 50.0),
        "attn_logit_softcapping 50.0 is not supported");
  }

  @Test
  void finalLogitSoftCappingIsRefused() {
    refused(
        "tiny-olmo2",
        c -> c.put("final_logit_softcapping", 30.0),
        "final_logit_softcapping 30.0 is not supported");
  }

  @Test
  void partialRotaryOutsideGptNeoxIsRefused() {
    refused(
        "tiny-qwen3",
        c -> c.put("partial_rotary_factor", 0.5),
        "partial_rotary_factor 0.5 is not supported for Qwen3ForCausalLM");
  }

  @Test
  void approximateGeluIsRefused() {
    refused(
        "tiny-gpt-neox",
        c -> c.put("hidden_act", "gelu_new"),
        "hidden_act \"gelu_new\" is not supported for GPTNeoXForCausalLM");
    refused(
        "tiny-olmo2",
        c -> c.put("hidden_act", "gelu"),
        "hidden_act \"gelu\" is not supported for Olmo2ForCausalLM");
  }

  @Test
  void familiesNameTheirTensors() throws IOException {
    ModelConfig n = parse("tiny-gpt-neox", c -> {});
    assertThat(Checkpoint.expectedTensors(n))
        .containsKeys(
            "gpt_neox.embed_in.weight",
            "gpt_neox.layers.1.attention.query_key_value.bias",
            "gpt_neox.final_layer_norm.bias",
            "embed_out.weight")
        .hasSize(4 + 12 * 2); // embed, final norm + bias, embed_out; 12 per layer
    assertThat(
            Checkpoint.expectedTensors(n).get("gpt_neox.layers.0.attention.query_key_value.weight"))
        .containsExactly(192, 64);
    ModelConfig noBias = parse("tiny-gpt-neox", c -> c.put("attention_bias", false));
    assertThat(Checkpoint.expectedTensors(noBias))
        .doesNotContainKeys(
            "gpt_neox.layers.0.attention.query_key_value.bias",
            "gpt_neox.layers.0.attention.dense.bias")
        .containsKey("gpt_neox.layers.0.mlp.dense_h_to_4h.bias");
    ModelConfig q = parse("tiny-qwen3", c -> {});
    assertThat(Checkpoint.expectedTensors(q).get("model.layers.0.self_attn.q_norm.weight"))
        .containsExactly(24);
    assertThat(Checkpoint.expectedTensors(q)).doesNotContainKey("lm_head.weight");
    ModelConfig o = parse("tiny-olmo2", c -> {});
    assertThat(Checkpoint.expectedTensors(o).get("model.layers.0.self_attn.k_norm.weight"))
        .containsExactly(64);
    assertThat(Checkpoint.expectedTensors(o))
        .containsKey("model.layers.0.post_feedforward_layernorm.weight")
        .doesNotContainKey("model.layers.0.input_layernorm.weight");
    // Every fixture checkpoint holds exactly the tensors its family's table names.
    for (String model : Fixtures.MODELS) {
      try (Checkpoint ck = Checkpoint.open(Fixtures.model(model))) {
        assertThat(ck.tensors().keySet())
            .as(model)
            .containsExactlyInAnyOrderElementsOf(Checkpoint.expectedTensors(ck.config()).keySet());
      }
    }
  }
}
