package evalh.tasks.data;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens a file, decompressing {@code .gz} and {@code .zst}/{@code .zstd} by extension. */
public final class CompressedFiles {
  private CompressedFiles() {}

  public static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    String n = file.getFileName().toString();
    try {
      if (n.endsWith(".gz")) {
        return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
      }
      if (n.endsWith(".zst") || n.endsWith(".zstd")) {
        return new BufferedInputStream(new ZstdInputStream(raw), 1 << 16);
      }
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw new DataFormatException(file + ": not a valid compressed file: " + e.getMessage(), e);
    }
    return raw;
  }
}
