package evalh.harness.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a safetensors file (header padded to 8 bytes, tensors in the given order). Used to
 * generate benchmark checkpoints and test files; writes to a temporary file, then renames.
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsWriter() {}

  /** A tensor to write: dtype name, shape and raw little-endian bytes. */
  public record Entry(String dtype, long[] shape, byte[] data) {}

  public static void write(Path file, Map<String, Entry> tensors) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long off = 0;
    for (var e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", e.getValue().dtype());
      var shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      var offs = t.putArray("data_offsets");
      offs.add(off);
      off += e.getValue().data().length;
      offs.add(off);
    }
    byte[] h = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    byte[] hp = new byte[padded];
    java.util.Arrays.fill(hp, (byte) ' ');
    System.arraycopy(h, 0, hp, 0, h.length);
    AtomicFiles.write(
        file,
        out -> {
          out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
          out.write(hp);
          for (Entry e : tensors.values()) {
            out.write(e.data());
          }
        });
  }
}
