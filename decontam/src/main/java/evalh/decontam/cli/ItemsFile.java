package evalh.decontam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.tasks.BenchmarkItem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code decontam --items FILE}: one JSON object per line, {@code {"task", "doc_id", "question",
 * "choices", "gold"}}. Every problem is an error naming the file, the line and the field, with what
 * to do: a doc id must be a non-negative integer unique within its task (the run joins
 * decontam.json to its items by it), choices must be strings, the file must be UTF-8.
 */
final class ItemsFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ItemsFile() {}

  static List<BenchmarkItem> read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    List<BenchmarkItem> out = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    int start = 0;
    int no = 0;
    while (start < all.length) {
      int end = start;
      while (end < all.length && all[end] != '\n') {
        end++;
      }
      no++;
      String where = file + " line " + no;
      String line = decode(utf8, all, start, end, where);
      start = end + 1;
      if (line.isBlank()) {
        continue;
      }
      BenchmarkItem item = parse(line, where);
      String key = item.task() + "\u0000" + item.docId();
      Integer first = firstLine.putIfAbsent(key, no);
      if (first != null) {
        throw new IllegalArgumentException(
            where
                + ": duplicate doc_id "
                + item.docId()
                + " in task '"
                + item.task()
                + "' (first on line "
                + first
                + "); doc ids must be unique within a task");
      }
      out.add(item);
    }
    return out;
  }

  private static String decode(CharsetDecoder utf8, byte[] all, int from, int to, String where) {
    try {
      return utf8.reset().decode(ByteBuffer.wrap(all, from, to - from)).toString();
    } catch (CharacterCodingException e) {
      // find the first bad byte of the line for the message
      int bad = from;
      for (int i = from; i <= to; i++) {
        try {
          utf8.reset().decode(ByteBuffer.wrap(all, from, i - from));
          bad = i;
        } catch (CharacterCodingException partial) {
          break;
        }
      }
      return throwBadUtf8(where, bad - from, all[Math.min(bad, all.length - 1)]);
    }
  }

  private static String throwBadUtf8(String where, int column, byte b) {
    throw new IllegalArgumentException(
        String.format(
            java.util.Locale.ROOT,
            "%s: invalid UTF-8 near byte %d of the line (0x%02x); the items file must be UTF-8"
                + " (convert it, e.g. iconv -f latin1 -t utf-8)",
            where,
            column,
            b & 0xff));
  }

  private static BenchmarkItem parse(String line, String where) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": not JSON: " + e.getMessage(), e);
    }
    String expected =
        "; each line must be {\"task\": string, \"doc_id\": integer >= 0, \"question\": string,"
            + " \"choices\": [strings], \"gold\": integer choice index}";
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(where + ": not a JSON object" + expected);
    }
    if (!n.path("task").isTextual()) {
      throw new IllegalArgumentException(
          where + ": field task is missing or not a string" + expected);
    }
    JsonNode id = n.path("doc_id");
    if (!id.isIntegralNumber() || !id.canConvertToInt()) {
      throw new IllegalArgumentException(
          where + ": field doc_id is missing or not an integer (got " + id + ")" + expected);
    }
    if (id.asInt() < 0) {
      throw new IllegalArgumentException(
          where + ": doc_id " + id.asInt() + " is negative; doc ids must be >= 0");
    }
    if (!n.path("question").isTextual()) {
      throw new IllegalArgumentException(
          where + ": field question is missing or not a string" + expected);
    }
    JsonNode choices = n.path("choices");
    if (!choices.isArray()) {
      throw new IllegalArgumentException(
          where + ": field choices is missing or not an array" + expected);
    }
    List<String> cs = new ArrayList<>();
    for (int i = 0; i < choices.size(); i++) {
      JsonNode c = choices.get(i);
      if (!c.isTextual()) {
        throw new IllegalArgumentException(
            where
                + ": choices["
                + i
                + "] is "
                + c.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                + " "
                + c
                + ", not a string; quote every choice");
      }
      cs.add(c.asText());
    }
    JsonNode g = n.path("gold");
    if (!g.isIntegralNumber() || !g.canConvertToInt()) {
      throw new IllegalArgumentException(
          where + ": field gold is missing or not an integer (got " + g + ")" + expected);
    }
    int gold = g.asInt();
    if (gold < 0 || gold >= cs.size()) {
      throw new IllegalArgumentException(
          where
              + ": gold "
              + gold
              + " is not a choice index (0.."
              + (cs.size() - 1)
              + " for "
              + cs.size()
              + " choices)");
    }
    return new BenchmarkItem(
        n.get("task").asText(), id.asInt(), n.get("question").asText(), cs, gold);
  }
}
