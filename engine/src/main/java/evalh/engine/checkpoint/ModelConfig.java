package evalh.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The parts of an HF {@code config.json} the forward pass needs, with transformers' defaults for
 * absent keys. The supported families and their keys are in {@link Architecture}.
 *
 * @param architecture config.json's {@code architectures[0]}, e.g. {@code LlamaForCausalLM}
 * @param family what that name means for the forward pass
 * @param headDim D, per head (Qwen3: explicit, may differ from hidden / heads)
 * @param normEps epsilon of every RMSNorm ({@code rms_norm_eps}) or LayerNorm ({@code
 *     layer_norm_eps})
 * @param rotaryDim R, the leading dims of each head that RoPE rotates (D, or GPT-NeoX's {@code
 *     rotary_pct} x D)
 * @param parallelResidual GPT-NeoX's {@code use_parallel_residual}: {@code h + attn(ln1 h) +
 *     mlp(ln2 h)}
 * @param slidingWindow Mistral's window in tokens, 0 for none
 */
public record ModelConfig(
    String architecture,
    Architecture family,
    String modelType,
    int vocabSize,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    int intermediateSize,
    double normEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    int rotaryDim,
    int maxPositionEmbeddings,
    boolean tieWordEmbeddings,
    boolean qkvBias,
    boolean oBias,
    boolean mlpBias,
    boolean parallelResidual,
    int slidingWindow) {

  public static final List<String> SUPPORTED_ARCHITECTURES =
      Arrays.stream(Architecture.values()).map(Architecture::hfName).toList();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads and validates {@code config.json}. */
  public static ModelConfig read(Path configJson) {
    JsonNode c;
    try {
      c = JSON.readTree(configJson.toFile());
    } catch (IOException e) {
      throw new CheckpointException(configJson + ": not valid JSON: " + e.getMessage(), e);
    }
    if (c == null || !c.isObject()) {
      throw new CheckpointException(configJson + ": not a JSON object");
    }
    return parse(configJson.toString(), c);
  }

  /** Builds a config from parsed JSON; {@code where} names the source in error messages. */
  public static ModelConfig parse(String where, JsonNode json) {
    JsonNode c = withV4RopeKeys(where, json);
    JsonNode archs = c.path("architectures");
    String arch = archs.isArray() && !archs.isEmpty() ? archs.get(0).asText() : null;
    if (arch == null) {
      throw new CheckpointException(where + ": no \"architectures\" entry; cannot tell the model");
    }
    Architecture family = Architecture.byHfName(arch);
    if (family == null) {
      throw new CheckpointException(
          where
              + ": unsupported architecture "
              + arch
              + "; supported: "
              + String.join(", ", SUPPORTED_ARCHITECTURES));
    }
    refuseUnimplemented(where, c);
    String type = c.path("model_type").asText("");
    int hidden = req(where, c, "hidden_size");
    int heads = req(where, c, "num_attention_heads");
    int kv = c.hasNonNull("num_key_value_heads") ? c.get("num_key_value_heads").asInt() : heads;
    if (kv <= 0 || heads % kv != 0) {
      throw new CheckpointException(
          where
              + ": num_attention_heads "
              + heads
              + " is not a multiple of num_key_value_heads "
              + kv);
    }
    Architecture.Keys k = family.keys(where, c, hidden, heads);
    if (family == Architecture.GPT_NEOX && kv != heads) {
      throw new CheckpointException(
          where + ": num_key_value_heads " + kv + " != num_attention_heads for GPT-NeoX");
    }
    if (k.headDim() % 2 != 0) {
      throw new CheckpointException(where + ": head_dim " + k.headDim() + " must be even for RoPE");
    }
    return new ModelConfig(
        arch,
        family,
        type,
        req(where, c, "vocab_size"),
        hidden,
        req(where, c, "num_hidden_layers"),
        heads,
        kv,
        k.headDim(),
        req(where, c, "intermediate_size"),
        k.normEps(),
        k.ropeTheta(),
        RopeScaling.parse(where, c.get("rope_scaling")),
        k.rotaryDim(),
        c.path("max_position_embeddings").asInt(k.maxPositionsDefault()),
        c.path("tie_word_embeddings").asBoolean(false),
        k.qkvBias(),
        k.oBias(),
        k.mlpBias(),
        k.parallelResidual(),
        k.slidingWindow());
  }

  /**
   * Keys of the supported families' (and their siblings') configs that change the math in ways
   * evalh does not implement: an error naming the key and its value, never silently ignored.
   */
  private static void refuseUnimplemented(String where, JsonNode c) {
    for (String key : List.of("clip_qkv", "attn_logit_softcapping", "final_logit_softcapping")) {
      JsonNode v = c.get(key);
      if (v != null && !v.isNull()) {
        throw new CheckpointException(where + ": " + key + " " + v + " is not supported");
      }
    }
    if (c.path("use_sliding_window").asBoolean(false)) {
      throw new CheckpointException(
          where
              + ": use_sliding_window true is not supported (per-layer sliding windows, sliding_window "
              + c.get("sliding_window")
              + ", max_window_layers "
              + c.get("max_window_layers")
              + ")");
    }
    JsonNode types = c.path("layer_types");
    for (int i = 0; i < types.size(); i++) {
      if (!types.get(i).asText().equals("full_attention")) {
        throw new CheckpointException(
            where
                + ": layer_types["
                + i
                + "] "
                + types.get(i)
                + " is not supported (only \"full_attention\" layers)");
      }
    }
  }

  /**
   * transformers v5 writes the rotary settings as one {@code rope_parameters} object ({@code
   * rope_type}, {@code rope_theta}, {@code partial_rotary_factor}, and the scaling's own keys)
   * instead of v4's {@code rope_theta} / {@code rope_scaling} / {@code partial_rotary_factor}. Maps
   * it onto the v4 keys, so that a v5 config is read, never silently given default frequencies; a
   * v4 key that is also present must agree.
   */
  private static JsonNode withV4RopeKeys(String where, JsonNode json) {
    JsonNode rp = json.get("rope_parameters");
    if (rp == null || rp.isNull()) {
      return json;
    }
    if (!rp.isObject()) {
      throw new CheckpointException(where + ": rope_parameters " + rp + " is not an object");
    }
    ObjectNode c = ((ObjectNode) json).deepCopy();
    for (String key : List.of("rope_theta", "partial_rotary_factor")) {
      JsonNode v = rp.get(key);
      if (v != null && !v.isNull()) {
        JsonNode old = c.get(key);
        if (old != null && !old.isNull() && old.asDouble() != v.asDouble()) {
          throw new CheckpointException(
              where
                  + ": "
                  + key
                  + " "
                  + old
                  + " and rope_parameters."
                  + key
                  + " "
                  + v
                  + " disagree");
        }
        c.set(key, v);
      }
    }
    String type = rp.path("rope_type").asText("default");
    if (!type.equals("default")) {
      JsonNode old = c.get("rope_scaling");
      if (old != null && !old.isNull() && !old.equals(rp)) {
        throw new CheckpointException(
            where + ": rope_scaling " + old + " and rope_parameters " + rp + " disagree");
      }
      c.set("rope_scaling", rp);
    }
    return c;
  }

  private static int req(String where, JsonNode c, String key) {
    JsonNode v = c.get(key);
    if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
      throw new CheckpointException(where + ": missing or invalid \"" + key + "\"");
    }
    return v.asInt();
  }

  public int groupSize() {
    return numHeads / numKvHeads;
  }

  /** Parameters stored in the checkpoint (embeddings counted once when tied). */
  public long parameterCount() {
    long n = 0;
    for (long[] shape : family.tensors(this).values()) {
      n += elements(shape);
    }
    return n;
  }

  /** Matmul FLOPs of one token through all layers (no attention scores, no LM head). */
  public long layerMatmulFlopsPerToken() {
    long n = 0;
    for (var e : family.tensors(this).entrySet()) {
      boolean head =
          e.getKey().equals(family.tensor(Architecture.Weight.EMBED, 0, this))
              || e.getKey().equals(family.tensor(Architecture.Weight.LM_HEAD, 0, this));
      if (e.getValue().length == 2 && !head) {
        n += elements(e.getValue());
      }
    }
    return 2L * n;
  }

  private static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
