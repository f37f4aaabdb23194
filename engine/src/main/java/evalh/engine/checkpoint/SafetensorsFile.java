package evalh.engine.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A memory-mapped {@code .safetensors} file: an 8-byte little-endian header length N, N bytes of
 * JSON, then the tensor data. Every entry is validated (dtype, shape, byte range inside the file,
 * size equal to shape x dtype, no overlaps) before any tensor is handed out.
 */
public final class SafetensorsFile implements AutoCloseable {
  /** Largest JSON header evalh accepts; real checkpoints have headers of a few hundred KiB. */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final Arena arena;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafetensorsFile(
      Path path, Arena arena, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    this.path = path;
    this.arena = arena;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /** Maps and validates {@code path}; throws {@link CheckpointException} naming the problem. */
  public static SafetensorsFile open(Path path) {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new CheckpointException(
            path + ": truncated safetensors file (" + size + " bytes, no header length)");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.getLong(0);
      if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES) {
        throw new CheckpointException(
            path
                + ": safetensors header length "
                + Long.toUnsignedString(headerLen)
                + " is outside 1.."
                + MAX_HEADER_BYTES
                + " bytes (corrupt file or not safetensors)");
      }
      if (8 + headerLen > size) {
        throw new CheckpointException(
            path
                + ": truncated safetensors file: header says "
                + headerLen
                + " bytes but the file has "
                + size);
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      readFully(ch, header, 8);
      JsonNode root;
      try {
        root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
      } catch (JsonProcessingException e) {
        throw new CheckpointException(
            path + ": safetensors header is not valid JSON: " + e.getOriginalMessage(), e);
      }
      if (root == null || !root.isObject()) {
        throw new CheckpointException(path + ": safetensors header is not a JSON object");
      }
      long dataStart = 8 + headerLen;
      long dataLen = size - dataStart;
      MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      MemorySegment data = all.asSlice(dataStart, dataLen).asReadOnly();
      Map<String, String> meta = new LinkedHashMap<>();
      Map<String, TensorInfo> out = new LinkedHashMap<>();
      List<long[]> ranges = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          e.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        TensorInfo t = parseEntry(path, e.getKey(), e.getValue(), data, dataLen);
        out.put(t.name(), t);
        long off = t.data().address() - data.address();
        ranges.add(new long[] {off, off + t.data().byteSize(), out.size() - 1});
      }
      checkOverlaps(path, ranges, new ArrayList<>(out.keySet()));
      return new SafetensorsFile(
          path, arena, Collections.unmodifiableMap(out), Collections.unmodifiableMap(meta));
    } catch (IOException e) {
      arena.close();
      throw new CheckpointException(path + ": cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  private static TensorInfo parseEntry(
      Path path, String name, JsonNode e, MemorySegment data, long dataLen) {
    String where = path + ": tensor '" + name + "'";
    if (!e.isObject()) {
      throw new CheckpointException(where + ": header entry is not an object");
    }
    String dt = e.path("dtype").asText(null);
    DType dtype = DType.fromSafetensors(dt);
    if (dtype == null) {
      throw new CheckpointException(where + ": unknown dtype " + dt);
    }
    JsonNode shapeNode = e.get("shape");
    JsonNode offs = e.get("data_offsets");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw new CheckpointException(where + ": missing shape");
    }
    if (offs == null || !offs.isArray() || offs.size() != 2) {
      throw new CheckpointException(where + ": data_offsets must be [begin, end]");
    }
    long[] shape = new long[shapeNode.size()];
    long n = 1;
    boolean overflow = false;
    for (int i = 0; i < shape.length; i++) {
      if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
        throw new CheckpointException(where + ": bad shape " + shapeNode);
      }
      shape[i] = shapeNode.get(i).asLong();
      long m = n * shape[i];
      overflow |= shape[i] != 0 && m / shape[i] != n; // multiplyExact's test, without throwing
      n = m;
    }
    long begin = offs.get(0).asLong(-1);
    long end = offs.get(1).asLong(-1);
    if (begin < 0 || end < begin) {
      throw new CheckpointException(where + ": bad data_offsets " + offs);
    }
    if (end > dataLen) {
      throw new CheckpointException(
          where
              + ": data_offsets "
              + offs
              + " run past the end of the data ("
              + dataLen
              + " bytes): truncated file?");
    }
    long expected = n * dtype.bytes();
    if (overflow || n < 0 || expected / dtype.bytes() != n) {
      throw new CheckpointException(
          where
              + ": shape "
              + shapeNode
              + " of "
              + dtype
              + " has more bytes than a file can hold (its size overflows 64 bits): a corrupt"
              + " header");
    }
    if (end - begin != expected) {
      throw new CheckpointException(
          where
              + ": "
              + (end - begin)
              + " bytes for shape "
              + shapeNode
              + " of "
              + dtype
              + " (expected "
              + expected
              + ")");
    }
    return new TensorInfo(name, dtype, shape, path, data.asSlice(begin, end - begin));
  }

  private static void checkOverlaps(Path path, List<long[]> ranges, List<String> names) {
    ranges.sort(Comparator.comparingLong(r -> r[0]));
    for (int i = 1; i < ranges.size(); i++) {
      long[] a = ranges.get(i - 1);
      long[] b = ranges.get(i);
      if (b[0] < a[1]) {
        throw new CheckpointException(
            path
                + ": tensors '"
                + names.get((int) a[2])
                + "' and '"
                + names.get((int) b[2])
                + "' overlap in the data section");
      }
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos + buf.position());
      if (r < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  public Path path() {
    return path;
  }

  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public void close() {
    arena.close();
  }
}
