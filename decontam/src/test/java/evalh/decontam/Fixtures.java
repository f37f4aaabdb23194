package evalh.decontam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes corpus files for tests. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static String line(String id, String text) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("meta", Map.of("source", "test", "nested", List.of(1, 2)));
    m.put("text", text);
    return JSON.writeValueAsString(m);
  }

  /** Writes lines to a .jsonl, .jsonl.gz or .jsonl.zst file (by extension). */
  static Path write(Path file, List<String> lines) throws IOException {
    byte[] data = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    writeBytes(file, data);
    return file;
  }

  static void writeBytes(Path file, byte[] data) throws IOException {
    String n = file.getFileName().toString();
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out =
            n.endsWith(".gz")
                ? new GZIPOutputStream(raw)
                : n.endsWith(".zst") ? new ZstdOutputStream(raw) : raw) {
      out.write(data);
    }
  }
}
