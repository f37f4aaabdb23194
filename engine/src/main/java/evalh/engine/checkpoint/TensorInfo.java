package evalh.engine.checkpoint;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: its name, dtype, shape and a read-only view of its bytes
 * (little-endian, row-major) in the memory-mapped file.
 */
public record TensorInfo(String name, DType dtype, long[] shape, Path file, MemorySegment data) {

  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** A little-endian view of the tensor's bytes; tensors are below 2 GiB each. */
  public ByteBuffer bytes() {
    if (data.byteSize() > Integer.MAX_VALUE) {
      throw new CheckpointException(
          file + ": tensor " + name + " is larger than 2 GiB, which evalh does not support");
    }
    return data.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }
}
