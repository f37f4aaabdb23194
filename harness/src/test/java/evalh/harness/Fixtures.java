package evalh.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.harness.checkpoint.SafetensorsFile;
import evalh.harness.checkpoint.SafetensorsWriter;
import evalh.harness.checkpoint.TensorInfo;
import evalh.harness.engine.EngineOptions;
import evalh.harness.engine.LoglikelihoodEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The team's reference fixtures (copied from shared/fixtures into test resources): two tiny
 * checkpoints and values from an independent float64 reference of HF transformers' math.
 */
public final class Fixtures {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** Per-token log-prob tolerance from the fixtures' README. */
  public static final double LOGPROB_TOL = 2e-4;

  /** Summed log-likelihood tolerance from the fixtures' README. */
  public static final double SUM_TOL = 1e-3;

  /** Relative bits-per-byte tolerance from the fixtures' README. */
  public static final double BPB_REL_TOL = 1e-5;

  private Fixtures() {}

  public static Path path(String rel) {
    URL u = Fixtures.class.getResource("/fixtures/" + rel);
    if (u == null) {
      throw new IllegalStateException("missing test resource fixtures/" + rel);
    }
    try {
      return Path.of(u.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path model(String name) {
    return path("models/" + name);
  }

  public static JsonNode expected(String file) {
    try {
      return JSON.readTree(path("expected/" + file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LoglikelihoodEngine engine(String model, int maxLength) {
    return LoglikelihoodEngine.open(
        model(model).toString(),
        EngineOptions.defaults().withDevice("cpu").withMaxLength(maxLength));
  }

  /** Every tensor of a safetensors file as writer entries, in file order (to rewrite it). */
  public static Map<String, SafetensorsWriter.Entry> tensorsOf(Path file) {
    Map<String, SafetensorsWriter.Entry> out = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (TensorInfo t : f.tensors().values()) {
        byte[] b = new byte[(int) t.data().byteSize()];
        t.bytes().get(b);
        out.put(t.name(), new SafetensorsWriter.Entry(t.dtype().name(), t.shape(), b));
      }
    }
    return out;
  }

  public static int[] ints(JsonNode arr) {
    int[] out = new int[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = arr.get(i).asInt();
    }
    return out;
  }
}
