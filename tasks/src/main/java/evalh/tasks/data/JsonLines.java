package evalh.tasks.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON Lines ({@code .jsonl}, {@code .json} with one object per line; gzip/zstd by
 * extension). Blank lines are ignored. A line that is not a JSON object, invalid UTF-8, or a
 * truncated compressed stream is an error naming the file and line.
 */
public final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  /** Reads up to {@code limit} rows ({@code limit < 0}: all). */
  public static List<Row> read(Path file, int limit) {
    List<Row> rows = new ArrayList<>();
    int lineNo = 0;
    try (InputStream in = CompressedFiles.open(file);
        BufferedReader r =
            new BufferedReader(
                new InputStreamReader(
                    in,
                    StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)),
                1 << 16)) {
      String line;
      while ((limit < 0 || rows.size() < limit) && (line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new DataFormatException(
              file + ":" + lineNo + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
          throw new DataFormatException(file + ":" + lineNo + ": expected a JSON object");
        }
        rows.add(new Row(toMap(node), file + ":" + lineNo));
      }
    } catch (DataFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new DataFormatException(
          file + ": read failed after line " + lineNo + " (truncated or corrupt file?): " + e, e);
    }
    return rows;
  }

  static Map<String, Object> toMap(JsonNode node) {
    Map<String, Object> m = new LinkedHashMap<>();
    node.properties().forEach(e -> m.put(e.getKey(), value(e.getValue())));
    return m;
  }

  private static Object value(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isArray()) {
      List<Object> l = new ArrayList<>();
      v.forEach(c -> l.add(value(c)));
      return l;
    }
    return toMap(v);
  }
}
