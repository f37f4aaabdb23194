package evalh.engine.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.core.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a safetensors file (header padded to 8 bytes, tensors in the given order). Used to
 * generate benchmark checkpoints and test files; written atomically ({@link AtomicFiles}).
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsWriter() {}

  /** A tensor to write: dtype name, shape and raw little-endian bytes. */
  public record Entry(String dtype, long[] shape, byte[] data) {}

  /** Produces one tensor's bytes, for tensors too large to hold together in memory. */
  public interface Source {
    /** Writes exactly the bytes of tensor {@code name} to {@code out}. */
    void write(String name, long[] shape, OutputStream out) throws IOException;
  }

  /**
   * Writes tensors of one dtype whose bytes are produced in file order by {@code source}, so a
   * checkpoint of any size streams to disk, atomically as {@link #write(Path, Map)}.
   */
  public static void write(
      Path file, String dtype, int elementBytes, Map<String, long[]> shapes, Source source)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long off = 0;
    for (var e : shapes.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", dtype);
      var shape = t.putArray("shape");
      long n = elementBytes;
      for (long d : e.getValue()) {
        shape.add(d);
        n *= d;
      }
      var offs = t.putArray("data_offsets");
      offs.add(off);
      off += n;
      offs.add(off);
    }
    AtomicFiles.write(
        file,
        out -> {
          writeHeader(out, header);
          for (var e : shapes.entrySet()) {
            source.write(e.getKey(), e.getValue(), out);
          }
        });
  }

  private static void writeHeader(OutputStream out, ObjectNode header) throws IOException {
    byte[] h = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    byte[] hp = new byte[padded];
    java.util.Arrays.fill(hp, (byte) ' ');
    System.arraycopy(h, 0, hp, 0, h.length);
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
    out.write(hp);
  }

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
    AtomicFiles.write(
        file,
        out -> {
          writeHeader(out, header);
          for (Entry e : tensors.values()) {
            out.write(e.data());
          }
        });
  }
}
