package evalh.engine.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.engine.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a sentence-transformers checkpoint does after its transformer: {@code modules.json} (a
 * Transformer, a Pooling, optionally a Normalize module, nothing else), the Pooling module's {@code
 * config.json} ({@code pooling_mode_*} keys) and the Transformer module's {@code
 * sentence_bert_config.json} ({@code max_seq_length}, {@code do_lower_case}).
 *
 * @param modelDir the Transformer module's folder (config.json, safetensors, tokenizer.json)
 * @param poolingConfig the Pooling module's config.json
 * @param pooling the pooling modes that are on, concatenated in this order
 * @param normalize whether a Normalize module L2-normalises the pooled vector
 * @param maxSeqLength tokens per text, special tokens included (longer texts are truncated)
 * @param lowerCase whether texts are lower-cased before tokenizing (sentence-transformers'
 *     do_lower_case)
 */
public record SentenceTransformerConfig(
    Path modelDir,
    Path poolingConfig,
    List<Pooling> pooling,
    boolean normalize,
    int maxSeqLength,
    boolean lowerCase) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "sentence_transformers.models.";

  /** Pooling keys that select modes evalh does not implement. */
  private static final Set<String> UNSUPPORTED_MODES =
      Set.of("pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken");

  /** Output width of the pooled vector for hidden size {@code h}. */
  public int dimension(int h) {
    return pooling.size() * h;
  }

  /**
   * Reads the sentence-transformers files of {@code dir}; {@link #resolved} completes it once the
   * model's config is known.
   */
  public static SentenceTransformerConfig read(Path dir) {
    Path modulesFile = dir.resolve("modules.json");
    JsonNode modules = json(modulesFile);
    if (!modules.isArray() || modules.isEmpty()) {
      throw new CheckpointException(modulesFile + ": expected a non-empty JSON array of modules");
    }
    Path modelDir = null;
    Path poolingDir = null;
    boolean normalize = false;
    List<String> order = new ArrayList<>();
    for (int i = 0; i < modules.size(); i++) {
      JsonNode m = modules.get(i);
      String type = m.path("type").asText("");
      String shortType = type.startsWith(PREFIX) ? type.substring(PREFIX.length()) : type;
      String where = modulesFile + ": module " + i + " (type \"" + type + "\")";
      switch (shortType) {
        case "Transformer" -> modelDir = modulePath(dir, m, where);
        case "Pooling" -> poolingDir = modulePath(dir, m, where);
        case "Normalize" -> normalize = true; // no files (the hub has no 2_Normalize folder)
        default ->
            throw new CheckpointException(
                where
                    + " is not supported: evalh runs Transformer, Pooling and Normalize modules"
                    + " only");
      }
      if (order.contains(shortType)) {
        throw new CheckpointException(where + ": a second " + shortType + " module");
      }
      order.add(shortType);
    }
    List<String> expected =
        normalize
            ? List.of("Transformer", "Pooling", "Normalize")
            : List.of("Transformer", "Pooling");
    if (!order.equals(expected)) {
      throw new CheckpointException(
          modulesFile + ": modules " + order + " are not supported (expected " + expected + ")");
    }
    Path poolingConfig = poolingDir.resolve("config.json");
    List<Pooling> pooling = pooling(poolingConfig);
    Path st = modelDir.resolve("sentence_bert_config.json");
    int maxSeq = 0;
    boolean lower = false;
    if (Files.isRegularFile(st)) {
      JsonNode s = json(st);
      JsonNode max = s.get("max_seq_length");
      if (max != null && !max.isNull()) {
        if (!max.canConvertToInt() || max.asInt() < 2) {
          throw new CheckpointException(st + ": invalid \"max_seq_length\" " + max);
        }
        maxSeq = max.asInt();
      }
      lower = s.path("do_lower_case").asBoolean(false);
    }
    return new SentenceTransformerConfig(
        modelDir, poolingConfig, pooling, normalize, maxSeq, lower);
  }

  /**
   * This config checked against the model's config ({@code word_embedding_dimension} is its hidden
   * size), with {@code max_seq_length} resolved against its position table.
   */
  SentenceTransformerConfig resolved(BertConfig bert) {
    JsonNode d = json(poolingConfig).get("word_embedding_dimension");
    if (d != null && d.asInt() != bert.hidden()) {
      throw new CheckpointException(
          poolingConfig
              + ": word_embedding_dimension "
              + d
              + " is not the model's hidden_size "
              + bert.hidden());
    }
    Path st = modelDir.resolve("sentence_bert_config.json");
    if (maxSeqLength > bert.maxPositions()) {
      throw new CheckpointException(
          st
              + ": max_seq_length "
              + maxSeqLength
              + " exceeds the model's max_position_embeddings "
              + bert.maxPositions());
    }
    int max = maxSeqLength > 0 ? maxSeqLength : bert.maxPositions();
    return new SentenceTransformerConfig(
        modelDir, poolingConfig, pooling, normalize, max, lowerCase);
  }

  private static List<Pooling> pooling(Path file) {
    JsonNode c = json(file);
    for (var e : c.properties()) {
      String key = e.getKey();
      if (key.startsWith("pooling_mode") && e.getValue().asBoolean(false)) {
        boolean known = false;
        for (Pooling p : Pooling.values()) {
          known |= p.key().equals(key);
        }
        if (!known || UNSUPPORTED_MODES.contains(key)) {
          throw new CheckpointException(
              file
                  + ": "
                  + key
                  + " "
                  + e.getValue()
                  + " is not supported (cls, mean, max,"
                  + " mean_sqrt_len tokens)");
        }
      }
    }
    List<Pooling> on = new ArrayList<>();
    for (Pooling p : Pooling.values()) {
      if (c.path(p.key()).asBoolean(false)) {
        on.add(p);
      }
    }
    if (on.isEmpty()) {
      throw new CheckpointException(file + ": no pooling_mode_* key is true");
    }
    return List.copyOf(on);
  }

  private static Path modulePath(Path dir, JsonNode m, String where) {
    String rel = m.path("path").asText("");
    Path p = dir.resolve(rel).normalize();
    if (!p.startsWith(dir.normalize()) || !Files.isDirectory(p)) {
      throw new CheckpointException(where + ": path \"" + rel + "\" is not a folder inside " + dir);
    }
    return p;
  }

  private static JsonNode json(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException(
          file
              + ": missing (a sentence-transformers checkpoint needs modules.json and its"
              + " Pooling module's config.json)");
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      if (n == null) {
        throw new CheckpointException(file + ": empty");
      }
      return n;
    } catch (IOException e) {
      throw new CheckpointException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }
}
