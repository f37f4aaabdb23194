package evalh.harness.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The parts of an HF {@code config.json} the forward pass needs, with transformers' defaults for
 * absent keys. Llama, Mistral and Qwen2 decoder-only models are supported.
 */
public record ModelConfig(
    String architecture,
    String modelType,
    int vocabSize,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    int intermediateSize,
    double rmsNormEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    int maxPositionEmbeddings,
    boolean tieWordEmbeddings,
    boolean qkvBias,
    boolean oBias,
    boolean mlpBias,
    int slidingWindow) {

  public static final List<String> SUPPORTED_ARCHITECTURES =
      List.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM");

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
  public static ModelConfig parse(String where, JsonNode c) {
    JsonNode archs = c.path("architectures");
    String arch = archs.isArray() && !archs.isEmpty() ? archs.get(0).asText() : null;
    if (arch == null) {
      throw new CheckpointException(where + ": no \"architectures\" entry; cannot tell the model");
    }
    if (!SUPPORTED_ARCHITECTURES.contains(arch)) {
      throw new CheckpointException(
          where
              + ": unsupported architecture "
              + arch
              + "; supported: "
              + String.join(", ", SUPPORTED_ARCHITECTURES));
    }
    String type = c.path("model_type").asText("");
    String act = c.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new CheckpointException(where + ": hidden_act " + act + " unsupported (only silu)");
    }
    int hidden = req(where, c, "hidden_size");
    int heads = req(where, c, "num_attention_heads");
    int kv = c.hasNonNull("num_key_value_heads") ? c.get("num_key_value_heads").asInt() : heads;
    int headDim = c.hasNonNull("head_dim") ? c.get("head_dim").asInt() : hidden / heads;
    if (kv <= 0 || heads % kv != 0) {
      throw new CheckpointException(
          where
              + ": num_attention_heads "
              + heads
              + " is not a multiple of num_key_value_heads "
              + kv);
    }
    if (headDim % 2 != 0) {
      throw new CheckpointException(where + ": head_dim " + headDim + " must be even for RoPE");
    }
    boolean qwen2 = arch.equals("Qwen2ForCausalLM");
    boolean attnBias = c.path("attention_bias").asBoolean(false);
    int window = 0;
    if (arch.equals("MistralForCausalLM")) {
      JsonNode sw = c.get("sliding_window");
      window = sw == null ? 4096 : sw.isNull() ? 0 : sw.asInt();
    }
    if (qwen2 && c.path("use_sliding_window").asBoolean(false)) {
      throw new CheckpointException(
          where + ": Qwen2 with use_sliding_window=true is not supported (per-layer windows)");
    }
    int maxPos = c.path("max_position_embeddings").asInt(2048);
    return new ModelConfig(
        arch,
        type,
        req(where, c, "vocab_size"),
        hidden,
        req(where, c, "num_hidden_layers"),
        heads,
        kv,
        headDim,
        req(where, c, "intermediate_size"),
        c.path("rms_norm_eps").asDouble(1e-6),
        c.path("rope_theta").asDouble(10000.0),
        RopeScaling.parse(where, c.get("rope_scaling")),
        maxPos,
        c.path("tie_word_embeddings").asBoolean(false),
        qwen2 || attnBias,
        !qwen2 && attnBias,
        !qwen2 && c.path("mlp_bias").asBoolean(false),
        window);
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
    long h = hiddenSize;
    long q = (long) numHeads * headDim;
    long kvw = (long) numKvHeads * headDim;
    long perLayer = h * q + 2 * h * kvw + q * h + 3 * h * intermediateSize + 2 * h;
    if (qkvBias) {
      perLayer += q + 2 * kvw;
    }
    long embed = (long) vocabSize * h;
    return embed + numLayers * perLayer + h + (tieWordEmbeddings ? 0 : embed);
  }

  /** Matmul FLOPs of one token through all layers (no attention scores, no LM head). */
  public long layerMatmulFlopsPerToken() {
    long h = hiddenSize;
    long q = (long) numHeads * headDim;
    long kvw = (long) numKvHeads * headDim;
    return 2L * numLayers * (h * q + 2 * h * kvw + q * h + 3 * h * intermediateSize);
  }
}
