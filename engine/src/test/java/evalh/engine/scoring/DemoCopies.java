package evalh.engine.scoring;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of the demo checkpoint that are different models: for sweep tests. */
public final class DemoCopies {
  private DemoCopies() {}

  /**
   * A copy of the demo model whose first shard has the lowest mantissa bit of every 16th 32-bit
   * word flipped from word {@code seed} on (a different model per seed, all weights finite).
   */
  public static Path perturbed(Path dir, int seed) throws IOException {
    Files.createDirectories(dir);
    Path demo = DemoCheckpoint.resolve("demo");
    try (Stream<Path> s = Files.list(demo)) {
      for (Path f : s.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    Path shard = dir.resolve("model-00001-of-00002.safetensors");
    byte[] b = Files.readAllBytes(shard);
    long header = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    int data = Math.toIntExact(8 + header);
    for (int i = data + 4 * seed; i + 4 <= b.length; i += 64) {
      b[i] ^= 1;
    }
    Files.write(shard, b);
    return dir;
  }
}
