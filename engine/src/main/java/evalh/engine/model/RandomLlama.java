package evalh.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.engine.checkpoint.Checkpoint;
import evalh.engine.checkpoint.ModelConfig;
import evalh.engine.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

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
    Map<String, long[]> shapes = new LinkedHashMap<>(Checkpoint.expectedTensors(cfg));
    List<String> names = new ArrayList<>(shapes.keySet());
    SafetensorsWriter.write(
        dir.resolve("model.safetensors"),
        "BF16",
        2,
        shapes,
        (name, shape, out) ->
            writeBf16(out, shape, name.endsWith("norm.weight"), seed, names.indexOf(name)));
    return dir;
  }

  /** Elements per independently seeded block; blocks are generated in parallel. */
  private static final int BLOCK = 1 << 22;

  private static void writeBf16(
      java.io.OutputStream out, long[] shape, boolean norm, long seed, int tensor)
      throws IOException {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    long blocks = (n + BLOCK - 1) / BLOCK;
    int par = Math.max(1, Runtime.getRuntime().availableProcessors()) * 2;
    for (long b0 = 0; b0 < blocks; b0 += par) {
      long total = n;
      byte[][] bytes =
          LongStream.range(b0, Math.min(blocks, b0 + par))
              .parallel()
              .mapToObj(b -> block(total, b, norm, seed * 1_000_003L + tensor * 65_537L + b))
              .toArray(byte[][]::new);
      for (byte[] x : bytes) {
        out.write(x);
      }
    }
  }

  private static byte[] block(long n, long b, boolean norm, long seed) {
    int len = (int) Math.min(BLOCK, n - b * BLOCK);
    ByteBuffer buf = ByteBuffer.allocate(len * 2).order(ByteOrder.LITTLE_ENDIAN);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < len; i += 2) {
      // Box-Muller, both outputs; the benchmark needs plausible scale, not a distribution.
      double u = 1.0 - rnd.nextDouble();
      double r = norm ? 0 : Math.sqrt(-2 * Math.log(u)) * 0.02;
      double a = 2 * Math.PI * rnd.nextDouble();
      buf.putShort(bf16(norm ? 1f : (float) (r * Math.cos(a))));
      if (i + 1 < len) {
        buf.putShort(bf16(norm ? 1f : (float) (r * Math.sin(a))));
      }
    }
    return buf.array();
  }

  private static short bf16(float v) {
    return (short) (Float.floatToIntBits(v) >>> 16);
  }
}
