package evalh.engine.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.engine.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code config.json} of a transformers {@code BertModel}, as far as the encoder forward pass
 * reads it. Keys that would change the math in ways {@link BertModel} does not implement are
 * refused, naming the key; training-only keys (dropout, initializer range, gradient checkpointing)
 * are ignored.
 *
 * @param vocabSize V, rows of the word embeddings
 * @param hidden H
 * @param layers number of encoder layers
 * @param heads N; head dim D = H / N
 * @param intermediate I, width of the GELU MLP
 * @param maxPositions P, rows of the absolute position embeddings
 * @param typeVocabSize rows of the token type embeddings (every token is type 0)
 * @param layerNormEps epsilon of every LayerNorm
 */
public record BertConfig(
    int vocabSize,
    int hidden,
    int layers,
    int heads,
    int intermediate,
    int maxPositions,
    int typeVocabSize,
    double layerNormEps) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Head dim D. */
  public int headDim() {
    return hidden / heads;
  }

  /** Reads and validates {@code configJson}. */
  public static BertConfig read(Path configJson) {
    if (!java.nio.file.Files.isRegularFile(configJson)) {
      throw new CheckpointException(
          configJson + ": missing (the Transformer module's BertModel config)");
    }
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

  /** Validates parsed JSON; {@code where} names the source in error messages. */
  public static BertConfig parse(String where, JsonNode c) {
    String type = c.path("model_type").asText("");
    if (!type.equals("bert")) {
      throw new CheckpointException(
          where
              + ": model_type "
              + c.get("model_type")
              + " is not supported by the sentence encoder (only \"bert\", BertModel)");
    }
    refuse(where, c, "position_embedding_type", "absolute");
    refuse(where, c, "hidden_act", "gelu");
    for (String key : List.of("is_decoder", "add_cross_attention")) {
      if (c.path(key).asBoolean(false)) {
        throw new CheckpointException(
            where + ": " + key + " true is not supported (an encoder without cross-attention)");
      }
    }
    JsonNode pruned = c.get("pruned_heads");
    if (pruned != null && !pruned.isNull() && !pruned.isEmpty()) {
      throw new CheckpointException(where + ": pruned_heads " + pruned + " is not supported");
    }
    JsonNode archs = c.path("architectures");
    for (JsonNode a : archs) {
      if (!a.asText().equals("BertModel")) {
        throw new CheckpointException(
            where
                + ": architectures "
                + archs
                + " is not supported by the sentence encoder (only \"BertModel\","
                + " as sentence-transformers saves it)");
      }
    }
    int hidden = req(where, c, "hidden_size");
    int heads = req(where, c, "num_attention_heads");
    if (hidden % heads != 0) {
      throw new CheckpointException(
          where + ": hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
    }
    double eps = c.path("layer_norm_eps").asDouble(1e-12);
    if (!(eps > 0) || !Double.isFinite(eps)) {
      throw new CheckpointException(
          where + ": invalid \"layer_norm_eps\" " + c.get("layer_norm_eps"));
    }
    return new BertConfig(
        req(where, c, "vocab_size"),
        hidden,
        req(where, c, "num_hidden_layers"),
        heads,
        req(where, c, "intermediate_size"),
        req(where, c, "max_position_embeddings"),
        c.has("type_vocab_size") ? req(where, c, "type_vocab_size") : 2,
        eps);
  }

  /** A key that must be absent, null or {@code supported}. */
  private static void refuse(String where, JsonNode c, String key, String supported) {
    JsonNode v = c.get(key);
    if (v != null && !v.isNull() && !v.asText().equals(supported)) {
      throw new CheckpointException(
          where + ": " + key + " " + v + " is not supported (only \"" + supported + "\")");
    }
  }

  private static int req(String where, JsonNode c, String key) {
    JsonNode v = c.get(key);
    if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
      throw new CheckpointException(where + ": missing or invalid \"" + key + "\"");
    }
    return v.asInt();
  }
}
