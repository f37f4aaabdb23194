package evalh.harness.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.harness.checkpoint.Checkpoint;
import evalh.harness.checkpoint.ModelConfig;
import evalh.harness.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a randomly initialised LlamaForCausalLM checkpoint (BF16 safetensors + config.json), so
 * benchmarks run the real loading path on a model of realistic shape.
 */
public final class RandomLlama {
  private RandomLlama() {}

  /** Shape of the generated model. */
  public record Shape(
      int hidden,
      int layers,
      int heads,
      int kvHeads,
      int intermediate,
      int vocab,
      int maxPositions) {}

  public static Path write(Path dir, Shape s, long seed) throws IOException {
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper();
    ObjectNode c = json.createObjectNode();
    c.putArray("architectures").add("LlamaForCausalLM");
    c.put("model_type", "llama");
    c.put("hidden_size", s.hidden());
    c.put("num_hidden_layers", s.layers());
    c.put("num_attention_heads", s.heads());
    c.put("num_key_value_heads", s.kvHeads());
    c.put("intermediate_size", s.intermediate());
    c.put("vocab_size", s.vocab());
    c.put("max_position_embeddings", s.maxPositions());
    c.put("rms_norm_eps", 1e-5);
    c.put("rope_theta", 10000.0);
    c.put("tie_word_embeddings", false);
    c.put("hidden_act", "silu");
    c.put("torch_dtype", "bfloat16");
    json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), c);
    ModelConfig cfg = ModelConfig.read(dir.resolve("config.json"));
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, SafetensorsWriter.Entry> tensors = new LinkedHashMap<>();
    for (var e : Checkpoint.expectedTensors(cfg).entrySet()) {
      boolean norm = e.getKey().endsWith("norm.weight");
      tensors.put(
          e.getKey(),
          new SafetensorsWriter.Entry("BF16", e.getValue(), bf16(e.getValue(), norm, rnd)));
    }
    SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors);
    return dir;
  }

  private static byte[] bf16(long[] shape, boolean norm, SplittableRandom rnd) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(n * 2)).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < n; i++) {
      float v = norm ? 1f : (float) (gaussian(rnd) * 0.02);
      b.putShort((short) (Float.floatToIntBits(v) >>> 16));
    }
    return b.array();
  }

  private static double gaussian(SplittableRandom rnd) {
    // Box-Muller; the benchmark needs plausible scale, not a particular distribution.
    double u = 1.0 - rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
