package evalh.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.engine.checkpoint.SafetensorsFile;
import evalh.engine.checkpoint.SafetensorsWriter;
import evalh.engine.checkpoint.TensorInfo;
import evalh.engine.scoring.EngineOptions;
import evalh.engine.scoring.LoglikelihoodEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The team's reference fixtures (copied from shared/fixtures into harness' test resources, and
 * shared with other modules' tests through harness' test-jar): five tiny checkpoints (Llama, Qwen2,
 * Qwen3, OLMo 2, GPT-NeoX) and values from an independent float64 reference of HF transformers'
 * math.
 */
public final class Fixtures {
  /** Every fixture checkpoint under {@code models/}. */
  public static final List<String> MODELS =
      List.of("tiny-llama", "tiny-qwen2", "tiny-qwen3", "tiny-olmo2", "tiny-gpt-neox");

  public static final ObjectMapper JSON = new ObjectMapper();

  /** Per-token log-prob tolerance from the fixtures' README. */
  public static final double LOGPROB_TOL = 2e-4;

  /** Summed log-likelihood tolerance from the fixtures' README. */
  public static final double SUM_TOL = 1e-3;

  /** Relative bits-per-byte tolerance from the fixtures' README. */
  public static final double BPB_REL_TOL = 1e-5;

  private Fixtures() {}

  /** The fixtures root as a real directory (see {@link #path}). */
  private static volatile Path root;

  /**
   * A fixture file or directory as a real path. In harness' own tests the resources are a folder;
   * other modules read them from harness' test-jar, whose entries {@link Path#of(java.net.URI)}
   * cannot open as directories, so the jar's {@code fixtures/} tree is extracted once per JVM to a
   * temporary folder (deleted at exit).
   */
  public static Path path(String rel) {
    Path p = root().resolve(rel);
    if (!Files.exists(p)) {
      throw new IllegalStateException("missing test resource fixtures/" + rel);
    }
    return p;
  }

  private static Path root() {
    Path r = root;
    if (r == null) {
      synchronized (Fixtures.class) {
        r = root;
        if (r == null) {
          r = locateRoot();
          root = r;
        }
      }
    }
    return r;
  }

  private static Path locateRoot() {
    URL u = Fixtures.class.getResource("/fixtures/README.md");
    if (u == null) {
      throw new IllegalStateException("missing test resource fixtures/ (harness test resources)");
    }
    try {
      URI uri = u.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return Path.of(uri).getParent();
      }
      Path tmp = Files.createTempDirectory("evalh-fixtures");
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        Path src = jar.getPath("/fixtures");
        try (Stream<Path> all = Files.walk(src)) {
          for (Path p : (Iterable<Path>) all::iterator) {
            Path dst = tmp.resolve(src.relativize(p).toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(dst);
            } else {
              Files.copy(p, dst);
            }
          }
        }
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(tmp)));
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract fixtures from " + u, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort at JVM exit; the folder is under java.io.tmpdir
    }
  }

  /** Whether the fixture checkpoint's tokenizer_config.json says the tokenizer prepends BOS. */
  public static boolean addsBos(String model) {
    try {
      return JSON.readTree(model(model).resolve("tokenizer_config.json").toFile())
          .path("add_bos_token")
          .asBoolean();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
