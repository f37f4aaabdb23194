package evalh.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.engine.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad checkpoint is refused before compute, with a message naming the problem. */
class CheckpointValidationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Path copy(String model) throws IOException {
    Path src = Fixtures.model(model);
    Path dst = tmp.resolve(model);
    Files.createDirectories(dst);
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : files.toList()) {
        Files.copy(f, dst.resolve(f.getFileName()));
      }
    }
    return dst;
  }

  @Test
  void fixturesOpenAndValidate() {
    try (Checkpoint llama = Checkpoint.open(Fixtures.model("tiny-llama"));
        Checkpoint qwen = Checkpoint.open(Fixtures.model("tiny-qwen2"))) {
      assertThat(llama.config().architecture()).isEqualTo("LlamaForCausalLM");
      assertThat(llama.storedDtypes()).containsExactly(DType.BF16);
      assertThat(llama.config().numKvHeads()).isEqualTo(2);
      assertThat(llama.config().ropeScaling().type()).isEqualTo("llama3");
      assertThat(llama.tensor("lm_head.weight").file().getFileName().toString())
          .isEqualTo("model-00002-of-00002.safetensors");
      long bytes = llama.tensors().values().stream().mapToLong(t -> t.data().byteSize()).sum();
      assertThat(bytes).isEqualTo(312960); // metadata.total_size of the index
      assertThat(qwen.config().qkvBias()).isTrue();
      assertThat(qwen.config().oBias()).isFalse();
      assertThat(qwen.config().tieWordEmbeddings()).isTrue();
      assertThat(qwen.tensors()).doesNotContainKey("lm_head.weight");
      assertThat(qwen.storedDtypes()).containsExactly(DType.F16);
      assertThat(llama.fingerprint()).startsWith("sha256:").isNotEqualTo(qwen.fingerprint());
    }
  }

  /**
   * Reliability #1: the fingerprint covered headers and sizes only, so weights rewritten in place
   * (same shapes) kept it, and a run into the same --output served the old answers from its cache.
   */
  @Test
  void weightsRewrittenInPlaceChangeTheFingerprint() throws IOException {
    Path dir = copy("tiny-qwen2");
    Path weights = dir.resolve("model.safetensors");
    String before;
    try (Checkpoint c = Checkpoint.open(dir)) {
      before = c.fingerprint();
    }
    var mtime = Files.getLastModifiedTime(weights);
    try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
      long last = f.length() - 1; // a weight byte: the header is at the start
      f.seek(last);
      int b = f.read();
      f.seek(last);
      f.write(b ^ 0x01);
    }
    Files.setLastModifiedTime(weights, mtime); // even with the mtime put back (touch -r)
    try (Checkpoint c = Checkpoint.open(dir)) {
      assertThat(c.fingerprint()).isNotEqualTo(before);
    }
  }

  /** The weights' hashes are computed once per file and then read from the cache. */
  @Test
  void weightHashesAreCachedByFileIdentity() throws IOException {
    Path dir = copy("tiny-qwen2");
    Path cache = tmp.resolve("cache");
    Path weights = dir.resolve("model.safetensors");
    String first;
    try (Checkpoint c = Checkpoint.open(dir, cache)) {
      first = c.fingerprint();
    }
    List<Path> entries;
    try (Stream<Path> s = Files.list(cache.resolve("weights"))) {
      entries = s.toList();
    }
    assertThat(entries).hasSize(1);
    ObjectNode e = (ObjectNode) JSON.readTree(entries.get(0).toFile());
    assertThat(e.path("sha256").asText()).isEqualTo(WeightDigests.hash(weights));
    assertThat(e.path("size").asLong()).isEqualTo(Files.size(weights));
    // a planted digest under the same identity is served (proof the bytes were not read again)
    e.put("sha256", "0".repeat(64));
    JSON.writeValue(entries.get(0).toFile(), e);
    try (Checkpoint c = Checkpoint.open(dir, cache)) {
      assertThat(c.fingerprint()).isNotEqualTo(first);
    }
    // touching the file changes its identity: hashed again, the true digest comes back
    Files.setLastModifiedTime(weights, FileTime.fromMillis(1_000_000_000_000L));
    try (Checkpoint c = Checkpoint.open(dir, cache)) {
      assertThat(c.fingerprint()).isEqualTo(first);
    }
  }

  /**
   * B8: with shards, their index and a model.safetensors in one folder, transformers'
   * from_pretrained loads model.safetensors; evalh scored the shards.
   */
  @Test
  void modelSafetensorsWinsOverShardsAsInTransformers() throws IOException {
    Path dir = copy("tiny-llama");
    Map<String, SafetensorsWriter.Entry> all = new LinkedHashMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList()) {
        all.putAll(Fixtures.tensorsOf(p));
      }
    }
    SafetensorsWriter.write(dir.resolve("model.safetensors"), all);
    try (Checkpoint c = Checkpoint.open(dir)) {
      assertThat(c.tensors().values())
          .allSatisfy(t -> assertThat(t.file().getFileName()).hasToString("model.safetensors"));
    }
  }

  @Test
  void missingTensorIsNamed() throws IOException {
    Path dir = copy("tiny-qwen2");
    Map<String, SafetensorsWriter.Entry> kept =
        Fixtures.tensorsOf(dir.resolve("model.safetensors"));
    kept.remove("model.layers.1.mlp.up_proj.weight");
    SafetensorsWriter.write(dir.resolve("model.safetensors"), kept);
    assertThatThrownBy(() -> Checkpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("missing tensor 'model.layers.1.mlp.up_proj.weight'")
        .hasMessageContaining("[128, 64]");
  }

  @Test
  void wrongShapeIsNamed() throws IOException {
    Path dir = copy("tiny-qwen2");
    ObjectNode cfg = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    cfg.put("intermediate_size", 96);
    JSON.writeValue(dir.resolve("config.json").toFile(), cfg);
    assertThatThrownBy(() -> Checkpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tensor 'model.layers.0.mlp.down_proj.weight'")
        .hasMessageContaining("has shape [64, 128], config.json implies [64, 96]");
  }

  @Test
  void truncatedShardIsNamed() throws IOException {
    Path dir = copy("tiny-llama");
    Path shard = dir.resolve("model-00002-of-00002.safetensors");
    try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
      f.setLength(f.length() - 1000);
    }
    assertThatThrownBy(() -> Checkpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model-00002-of-00002.safetensors")
        .hasMessageContaining("run past the end of the data")
        .hasMessageContaining("truncated");
  }

  @Test
  void missingShardIsNamed() throws IOException {
    Path dir = copy("tiny-llama");
    Files.delete(dir.resolve("model-00001-of-00002.safetensors"));
    assertThatThrownBy(() -> Checkpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("shard model-00001-of-00002.safetensors is missing");
  }

  @Test
  void hugeHeaderIsRefused() throws IOException {
    Path dir = copy("tiny-qwen2");
    Path file = dir.resolve("model.safetensors");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(0);
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
    }
    assertThatThrownBy(() -> Checkpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("header length 1099511627776 is outside");
  }

  @Test
  void headerThatIsNotJsonIsRefused() throws IOException {
    Path dir = copy("tiny-qwen2");
    Path file = dir.resolve("model.safetensors");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(8);
      f.write("not json".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    assertThatThrownBy(() -> Checkpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("header is not valid JSON");
  }

  @Test
  void pickleCheckpointIsRefusedWithConversionAdvice() throws IOException {
    Path dir = copy("tiny-qwen2");
    Files.delete(dir.resolve("model.safetensors"));
    Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 0x02, '.'});
    assertThatThrownBy(() -> Checkpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("refusing to load a pickle checkpoint")
        .hasMessageContaining("arbitrary code")
        .hasMessageContaining("safe_serialization=True");
  }

  @Test
  void unsupportedArchitectureListsSupportedOnes() throws IOException {
    Path dir = copy("tiny-qwen2");
    ObjectNode cfg = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    cfg.putArray("architectures").add("GPT2LMHeadModel");
    JSON.writeValue(dir.resolve("config.json").toFile(), cfg);
    assertThatThrownBy(() -> Checkpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(
            "unsupported architecture GPT2LMHeadModel; supported: LlamaForCausalLM,"
                + " MistralForCausalLM, Qwen2ForCausalLM");
  }

  @Test
  void unsupportedRopeScalingIsRefused() throws IOException {
    Path dir = copy("tiny-llama");
    ObjectNode cfg = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    ((ObjectNode) cfg.get("rope_scaling")).put("rope_type", "yarn");
    JSON.writeValue(dir.resolve("config.json").toFile(), cfg);
    assertThatThrownBy(() -> Checkpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("rope_scaling type 'yarn' is not supported");
  }

  @Test
  void unexpectedTensorIsNamed() throws IOException {
    Path dir = copy("tiny-qwen2");
    Map<String, SafetensorsWriter.Entry> all = Fixtures.tensorsOf(dir.resolve("model.safetensors"));
    all.put(
        "model.layers.0.self_attn.o_proj.bias",
        new SafetensorsWriter.Entry("F16", new long[] {64}, new byte[128]));
    SafetensorsWriter.write(dir.resolve("model.safetensors"), all);
    assertThatThrownBy(() -> Checkpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("unexpected tensor 'model.layers.0.self_attn.o_proj.bias'");
  }

  @Test
  void wrongByteCountForShapeIsRefused() throws IOException {
    Path file = tmp.resolve("bad.safetensors");
    Map<String, SafetensorsWriter.Entry> m = new LinkedHashMap<>();
    m.put("w", new SafetensorsWriter.Entry("BF16", new long[] {3, 4}, new byte[20]));
    SafetensorsWriter.write(file, m);
    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tensor 'w'")
        .hasMessageContaining("20 bytes for shape [3,4] of BF16 (expected 24)");
  }

  @Test
  void readsF32F16Bf16Values() throws IOException {
    Path file = tmp.resolve("vals.safetensors");
    Map<String, SafetensorsWriter.Entry> m = new LinkedHashMap<>();
    ByteBuffer f32 =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
    ByteBuffer f16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    f16.putShort(Float.floatToFloat16(0.25f)).putShort(Float.floatToFloat16(-3f));
    ByteBuffer bf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    bf.putShort((short) (Float.floatToIntBits(3.140625f) >>> 16))
        .putShort((short) (Float.floatToIntBits(-0.5f) >>> 16));
    m.put("a", new SafetensorsWriter.Entry("F32", new long[] {2}, f32.array()));
    m.put("b", new SafetensorsWriter.Entry("F16", new long[] {2}, f16.array()));
    m.put("c", new SafetensorsWriter.Entry("BF16", new long[] {1, 2}, bf.array()));
    SafetensorsWriter.write(file, m);
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.metadata()).containsEntry("format", "pt");
      assertThat(f.tensors().get("a").bytes().getFloat(4)).isEqualTo(-2f);
      assertThat(Float.float16ToFloat(f.tensors().get("b").bytes().getShort(2))).isEqualTo(-3f);
      assertThat(Float.intBitsToFloat((f.tensors().get("c").bytes().getShort(0) & 0xffff) << 16))
          .isEqualTo(3.140625f);
      assertThat(f.tensors().get("c").shape()).containsExactly(1, 2);
    }
  }
}
