package evalh.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Samples files in a reused output directory that the current run did not write (other tasks, an
 * earlier checkpoint, {@code --no-log-samples}) are moved to {@code superseded/<UTC time>/}: never
 * deleted (nothing computed is lost), never left next to a results.json they do not belong to.
 */
final class StaleOutputs {
  static final String DIR = "superseded";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final ObjectMapper JSON = new ObjectMapper();

  private StaleOutputs() {}

  /**
   * Before a run writes into {@code dir}: moves its {@code results.json} and {@code
   * samples_<task>.jsonl} files that belong to another run (another tool's, which record no evalh
   * provenance, or evalh's of another checkpoint or task config) to {@code superseded/<time>/}, so
   * that they are kept rather than overwritten.
   *
   * @param fingerprint this run's checkpoint fingerprint
   * @param taskHashes this run's task config hashes, per task
   */
  static List<Path> moveForeign(
      OutputStore store, Path dir, String fingerprint, Map<String, String> taskHashes)
      throws IOException {
    List<Path> foreign = new ArrayList<>();
    if (!store.isDirectory(dir)) {
      return foreign;
    }
    Path results = dir.resolve("results.json");
    if (store.isFile(results)) {
      JsonNode r = readJson(store, results);
      JsonNode ev = r == null ? null : r.path("evalh");
      if (ev == null
          || !fingerprint.equals(ev.path("checkpoint_fingerprint").asText(null))
          || !sameHashes(ev.path("task_hashes"), taskHashes)) {
        foreign.add(results);
      }
    }
    for (Path p : store.files(dir)) {
      String n = p.getFileName().toString();
      if (!n.startsWith("samples_") || !n.endsWith(".jsonl")) {
        continue;
      }
      String task = n.substring("samples_".length(), n.length() - ".jsonl".length());
      JsonNode first = firstLine(store, p);
      if (!taskHashes.containsKey(task)
          || first == null
          || !fingerprint.equals(first.path("checkpoint_fingerprint").asText(null))
          || !taskHashes.get(task).equals(first.path("task_hash").asText(null))) {
        foreign.add(p);
      }
    }
    moveTo(store, dir, foreign);
    return foreign;
  }

  private static boolean sameHashes(JsonNode recorded, Map<String, String> taskHashes) {
    for (Map.Entry<String, String> e : taskHashes.entrySet()) {
      if (!e.getValue().equals(recorded.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode readJson(OutputStore store, Path f) {
    try {
      return JSON.readTree(store.read(f));
    } catch (IOException e) {
      return null; // not JSON: not this run's either
    }
  }

  private static JsonNode firstLine(OutputStore store, Path f) {
    try {
      String all = new String(store.read(f), StandardCharsets.UTF_8);
      int nl = all.indexOf('\n');
      String line = nl < 0 ? all : all.substring(0, nl);
      return line.isEmpty() ? null : JSON.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }

  private static void moveTo(OutputStore store, Path dir, List<Path> files) throws IOException {
    if (files.isEmpty()) {
      return;
    }
    Path to = dir.resolve(DIR).resolve(STAMP.format(Instant.now()));
    for (int k = 1; store.isDirectory(to); k++) {
      to = dir.resolve(DIR).resolve(STAMP.format(Instant.now()) + "-" + k);
    }
    for (Path p : files) {
      store.move(p, to.resolve(p.getFileName()));
    }
  }

  /** Moves {@code samples_*.jsonl} of {@code dir} not named in {@code written}; returns them. */
  static List<Path> moveAside(OutputStore store, Path dir, Set<String> written) throws IOException {
    List<Path> stale =
        store.files(dir).stream()
            .filter(
                p -> {
                  String n = p.getFileName().toString();
                  return n.startsWith("samples_") && n.endsWith(".jsonl") && !written.contains(n);
                })
            .toList();
    moveTo(store, dir, stale);
    return stale;
  }
}
