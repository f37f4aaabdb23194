package evalh.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An HF checkpoint directory: {@code config.json} plus {@code model.safetensors} or shards listed
 * in {@code model.safetensors.index.json} (when both are there, {@code model.safetensors}, as
 * transformers' {@code from_pretrained} picks). {@link #open} validates every tensor the forward
 * pass will read (name, dtype, shape, byte range) against config.json before any compute, and
 * refuses pickle checkpoints.
 */
public final class Checkpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PICKLE_NAMES =
      List.of("pytorch_model.bin", "pytorch_model.bin.index.json", "model.pt", "model.pth");

  private final Path dir;
  private final ModelConfig config;
  private final List<SafetensorsFile> files;
  private final Map<String, TensorInfo> tensors;
  private final String fingerprint;

  private Checkpoint(
      Path dir,
      ModelConfig config,
      List<SafetensorsFile> files,
      Map<String, TensorInfo> tensors,
      String fingerprint) {
    this.dir = dir;
    this.config = config;
    this.files = files;
    this.tensors = tensors;
    this.fingerprint = fingerprint;
  }

  /**
   * Opens and validates the checkpoint in {@code dir}; the hashes of weight files of at least
   * {@link WeightDigests#MIN_CACHED_BYTES} are cached under {@link
   * WeightDigests#defaultCacheRoot()}.
   */
  public static Checkpoint open(Path dir) {
    return open(dir, WeightDigests.defaultCacheRoot(), WeightDigests.MIN_CACHED_BYTES);
  }

  /**
   * Opens and validates the checkpoint in {@code dir}, caching the hashes of all its weight files
   * under {@code cache}.
   */
  public static Checkpoint open(Path dir, Path cache) {
    return open(dir, cache, 0);
  }

  private static Checkpoint open(Path dir, Path cache, long minCachedBytes) {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException(dir + ": not a directory (expected an HF checkpoint folder)");
    }
    Path configPath = dir.resolve("config.json");
    if (!Files.isRegularFile(configPath)) {
      throw new CheckpointException(dir + ": no config.json (not an HF checkpoint directory)");
    }
    List<Path> shardPaths = shardPaths(dir);
    ModelConfig config = ModelConfig.read(configPath);
    Weights weights = Weights.open(dir, shardPaths);
    try {
      validate(dir, config, weights.tensors());
      return new Checkpoint(
          dir,
          config,
          weights.files(),
          weights.tensors(),
          fingerprint(configPath, shardPaths, cache, minCachedBytes));
    } catch (RuntimeException e) {
      weights.close();
      throw e;
    }
  }

  /**
   * The safetensors weights of a checkpoint directory, whatever model they belong to: {@code
   * model.safetensors} or the shards of {@code model.safetensors.index.json} (each tensor stored
   * once, where the index says), every tensor by name. Pickle checkpoints are refused. Closing it
   * unmaps the files.
   */
  public record Weights(List<SafetensorsFile> files, Map<String, TensorInfo> tensors)
      implements AutoCloseable {
    /** Opens and validates the safetensors files of {@code dir}. */
    public static Weights open(Path dir) {
      return open(dir, shardPaths(dir));
    }

    private static Weights open(Path dir, List<Path> shardPaths) {
      List<SafetensorsFile> files = new ArrayList<>();
      try {
        Map<String, TensorInfo> all = new TreeMap<>();
        for (Path p : shardPaths) {
          SafetensorsFile f = SafetensorsFile.open(p);
          files.add(f);
          for (TensorInfo t : f.tensors().values()) {
            TensorInfo prev = all.put(t.name(), t);
            if (prev != null) {
              throw new CheckpointException(
                  "tensor '" + t.name() + "' is stored twice: in " + prev.file() + " and " + p);
            }
          }
        }
        checkIndex(dir, all);
        return new Weights(List.copyOf(files), all);
      } catch (RuntimeException e) {
        files.forEach(SafetensorsFile::close);
        throw e;
      }
    }

    @Override
    public void close() {
      files.forEach(SafetensorsFile::close);
    }
  }

  private static List<Path> shardPaths(Path dir) {
    Path index = dir.resolve("model.safetensors.index.json");
    Path single = dir.resolve("model.safetensors");
    // transformers' from_pretrained order: model.safetensors first, then the sharded index; a
    // folder holding both is scored on the weights lm-eval loads.
    if (Files.isRegularFile(single)) {
      return List.of(single);
    }
    if (Files.isRegularFile(index)) {
      JsonNode map;
      try {
        map = JSON.readTree(index.toFile()).path("weight_map");
      } catch (IOException e) {
        throw new CheckpointException(index + ": not valid JSON: " + e.getMessage(), e);
      }
      if (!map.isObject() || map.isEmpty()) {
        throw new CheckpointException(index + ": no weight_map");
      }
      TreeSet<String> shards = new TreeSet<>();
      map.properties().forEach(e -> shards.add(e.getValue().asText()));
      List<Path> out = new ArrayList<>();
      for (String s : shards) {
        Path p = dir.resolve(s).normalize();
        if (!p.startsWith(dir.normalize()) || !s.endsWith(".safetensors")) {
          throw new CheckpointException(index + ": weight_map names an invalid shard '" + s + "'");
        }
        if (!Files.isRegularFile(p)) {
          throw new CheckpointException(index + ": shard " + s + " is missing from " + dir);
        }
        out.add(p);
      }
      return out;
    }
    for (String name : PICKLE_NAMES) {
      if (Files.exists(dir.resolve(name))) {
        throw new CheckpointException(
            dir.resolve(name)
                + ": refusing to load a pickle checkpoint: unpickling can run arbitrary code."
                + " Convert it to safetensors first, e.g. python -c \"from transformers import"
                + " AutoModelForCausalLM as M; M.from_pretrained('"
                + dir
                + "').save_pretrained('OUT', safe_serialization=True)\" and copy the tokenizer files"
                + " (tokenizer.json, tokenizer_config.json) next to it");
      }
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<String> bins =
          s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bin")).toList();
      if (!bins.isEmpty()) {
        throw new CheckpointException(
            dir
                + ": only pickle weights "
                + bins
                + " found; refusing to unpickle. Convert to safetensors"
                + " (save_pretrained(..., safe_serialization=True))");
      }
    } catch (IOException e) {
      throw new CheckpointException(dir + ": cannot list: " + e.getMessage(), e);
    }
    throw new CheckpointException(dir + ": no model.safetensors or model.safetensors.index.json");
  }

  private static void checkIndex(Path dir, Map<String, TensorInfo> all) {
    Path index = dir.resolve("model.safetensors.index.json");
    if (!Files.isRegularFile(index) || Files.isRegularFile(dir.resolve("model.safetensors"))) {
      return;
    }
    try {
      JsonNode map = JSON.readTree(index.toFile()).path("weight_map");
      for (var e : map.properties()) {
        TensorInfo t = all.get(e.getKey());
        if (t == null) {
          throw new CheckpointException(
              index + ": tensor '" + e.getKey() + "' is not in its shard " + e.getValue().asText());
        }
        if (!t.file().getFileName().toString().equals(e.getValue().asText())) {
          throw new CheckpointException(
              index
                  + ": tensor '"
                  + e.getKey()
                  + "' is listed in "
                  + e.getValue().asText()
                  + " but stored in "
                  + t.file().getFileName());
        }
      }
    } catch (IOException e) {
      throw new CheckpointException(index + ": " + e.getMessage(), e);
    }
  }

  /**
   * The tensors the forward pass reads, with the shapes config.json implies (names and shapes per
   * family: {@link Architecture#tensors}).
   */
  public static Map<String, long[]> expectedTensors(ModelConfig c) {
    return c.family().tensors(c);
  }

  private static void validate(Path dir, ModelConfig c, Map<String, TensorInfo> all) {
    validateTensors(
        dir,
        expectedTensors(c),
        all,
        name ->
            c.family().ignoredTensor(name)
                || (c.tieWordEmbeddings() && name.equals("lm_head.weight")),
        c.architecture());
  }

  /**
   * Checks the stored tensors against the ones a model's config implies: every expected tensor
   * present with its shape and a supported dtype, and no other tensor unless {@code ignorable} says
   * so. Throws one error naming the directory and the first few problems (tensor and file).
   *
   * @param model what the config describes, for the message ("not part of MODEL as config.json
   *     describes it")
   */
  public static void validateTensors(
      Path dir,
      Map<String, long[]> expected,
      Map<String, TensorInfo> all,
      Predicate<String> ignorable,
      String model) {
    List<String> problems = new ArrayList<>();
    for (var e : expected.entrySet()) {
      TensorInfo t = all.get(e.getKey());
      if (t == null) {
        problems.add(
            "missing tensor '"
                + e.getKey()
                + "' (config.json implies shape "
                + Arrays.toString(e.getValue())
                + ")");
      } else if (!Arrays.equals(t.shape(), e.getValue())) {
        problems.add(
            "tensor '"
                + e.getKey()
                + "' in "
                + t.file().getFileName()
                + " has shape "
                + t.shapeString()
                + ", config.json implies "
                + Arrays.toString(e.getValue()));
      } else if (!t.dtype().isSupportedWeight()) {
        problems.add(
            "tensor '" + e.getKey() + "' has dtype " + t.dtype() + " (supported: F32, F16, BF16)");
      }
    }
    for (String name : all.keySet()) {
      if (!expected.containsKey(name) && !ignorable.test(name)) {
        problems.add(
            "unexpected tensor '"
                + name
                + "' in "
                + all.get(name).file().getFileName()
                + " (not part of "
                + model
                + " as config.json describes it)");
      }
    }
    if (!problems.isEmpty()) {
      int shown = Math.min(problems.size(), 5);
      throw new CheckpointException(
          dir
              + ": "
              + String.join("; ", problems.subList(0, shown))
              + (problems.size() > shown ? "; and " + (problems.size() - shown) + " more" : ""));
    }
  }

  /** Files beside the weights that change what a request scores (the tokenizer's). */
  private static final List<String> TOKENIZER_FILES =
      List.of(
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "tokenizer.model",
          "vocab.json",
          "merges.txt");

  /**
   * SHA-256 over config.json, the tokenizer files and every shard's name and content hash. The
   * content hashes are read once per file from the user's cache ({@link WeightDigests}), keyed by
   * path, size, mtime, inode and ctime: weights rewritten in place give a new fingerprint, so
   * cached answers are never served for them.
   */
  private static String fingerprint(
      Path config, List<Path> shards, Path cacheRoot, long minCachedBytes) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Files.readAllBytes(config));
      for (String name : TOKENIZER_FILES) {
        Path t = config.resolveSibling(name);
        if (Files.isRegularFile(t)) {
          md.update(name.getBytes(StandardCharsets.UTF_8));
          md.update(Files.readAllBytes(t));
        }
      }
      List<String> digests =
          shards.parallelStream()
              .map(p -> WeightDigests.sha256(p, size(p) < minCachedBytes ? null : cacheRoot))
              .toList();
      for (int i = 0; i < shards.size(); i++) {
        md.update(shards.get(i).getFileName().toString().getBytes(StandardCharsets.UTF_8));
        md.update(digests.get(i).getBytes(StandardCharsets.UTF_8));
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new CheckpointException("cannot fingerprint " + config.getParent() + ": " + e, e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  public ModelConfig config() {
    return config;
  }

  public TensorInfo tensor(String name) {
    TensorInfo t = tensors.get(name);
    if (t == null) {
      throw new CheckpointException(dir + ": missing tensor '" + name + "'");
    }
    return t;
  }

  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  /** The distinct stored dtypes of the weights, e.g. {@code [BF16]}. */
  public List<DType> storedDtypes() {
    return tensors.values().stream().map(TensorInfo::dtype).distinct().sorted().toList();
  }

  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public void close() {
    files.forEach(SafetensorsFile::close);
  }
}
