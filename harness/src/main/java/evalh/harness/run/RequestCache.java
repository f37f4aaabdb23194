package evalh.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An append-only, fsync'd cache of scored requests: one JSON line per request, keyed by a SHA-256
 * of the scoring scope (checkpoint fingerprint and every option that changes scores) and the
 * request. Lines are appended a batch at a time and forced to disk before the batch counts as done,
 * so a {@code kill -9} loses at most the batch in flight; a torn last line is cut off when the
 * cache is reopened.
 */
public final class RequestCache implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One cached answer.
   *
   * @param logprob summed log-probability
   * @param greedy lm-eval's is_greedy (loglikelihood requests)
   * @param tokens scored tokens
   * @param truncatedOrWindows 1 if left truncation applied (loglikelihood), or the window count
   *     (rolling)
   */
  public record Entry(double logprob, boolean greedy, int tokens, int truncatedOrWindows) {}

  private final Map<String, Entry> entries = new HashMap<>();
  private final OutputStore.Log log;
  private final OutputStore.Lock lock;
  private final Path file;
  private int dropped;

  /** The whole lines of the log when it was opened: the first append keeps these bytes. */
  private long complete;

  private RequestCache(Path file, OutputStore.Log log, OutputStore.Lock lock) {
    this.file = file;
    this.log = log;
    this.lock = lock;
  }

  /** An in-memory cache that persists nothing. */
  public static RequestCache inMemory() {
    return new RequestCache(null, null, null);
  }

  /**
   * Opens (creating) the cache file, loading every complete line, and holds {@code <file>.lock} (an
   * exclusive OS lock, see {@link OutputLock}) until {@link #close}: two runs never append to one
   * cache, even with {@code --cache} shared by two output directories. The cache itself is opened
   * in append mode, after a torn last line of a killed run has been cut off.
   */
  public static RequestCache open(Path file) {
    return open(OutputStore.local(), file);
  }

  /**
   * {@link #open(Path)} in {@code store}: the lock is the store's, and the torn last line of a
   * killed run is cut off (or, where the store cannot cut, left behind a newline) by the first
   * append.
   */
  public static RequestCache open(OutputStore store, Path file) {
    OutputStore.Lock lock =
        store.lock(
            file.resolveSibling(file.getFileName() + ".lock"),
            "request cache " + store.describe(file));
    OutputStore.Log log = null;
    try {
      log = store.openLog(file);
      Contents old = load(log.contents());
      RequestCache c = new RequestCache(file, log, lock);
      c.entries.putAll(old.entries());
      c.dropped = old.dropped();
      c.complete = old.completeBytes();
      return c;
    } catch (IOException e) {
      closeQuietly(log);
      lock.close();
      throw new UncheckedIOException("cannot open request cache " + store.describe(file), e);
    } catch (RuntimeException e) {
      closeQuietly(log);
      lock.close();
      throw e;
    }
  }

  private static void closeQuietly(OutputStore.Log log) {
    if (log != null) {
      try {
        log.close();
      } catch (IOException ignored) {
        // the original failure is what the user needs to see
      }
    }
  }

  /** A cache file's usable entries, its unusable lines and the byte length of its whole lines. */
  private record Contents(Map<String, Entry> entries, int dropped, long completeBytes) {}

  private static Contents load(byte[] all) {
    Map<String, Entry> out = new HashMap<>();
    int dropped = 0;
    int start = 0;
    int lastComplete = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        String line = new String(all, start, i - start, StandardCharsets.UTF_8);
        if (!parse(line, out)) {
          dropped++;
        }
        start = i + 1;
        lastComplete = i + 1;
      }
    }
    if (lastComplete < all.length) {
      dropped++; // a torn last line
    }
    return new Contents(out, dropped, lastComplete);
  }

  private static boolean parse(String line, Map<String, Entry> entries) {
    try {
      JsonNode n = JSON.readTree(line);
      if (n == null || !n.has("k") || !n.path("ll").isNumber()) {
        return false;
      }
      if (!Double.isFinite(n.get("ll").asDouble())) {
        return false; // never reuse a non-finite score: rescoring it fails the run by name
      }
      entries.put(
          n.get("k").asText(),
          new Entry(
              n.get("ll").asDouble(),
              n.path("g").asBoolean(false),
              n.path("n").asInt(),
              n.path("x").asInt()));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public Entry get(String key) {
    return entries.get(key);
  }

  public int size() {
    return entries.size();
  }

  /** Lines that could not be used when the file was opened (torn or corrupt). */
  public int dropped() {
    return dropped;
  }

  public Path file() {
    return file;
  }

  /** Appends a batch and forces it to disk before returning. */
  public void appendAll(List<String> keys, List<Entry> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      Entry e = values.get(i);
      ObjectNode o = JSON.createObjectNode();
      o.put("k", keys.get(i));
      o.put("ll", e.logprob());
      o.put("g", e.greedy());
      o.put("n", e.tokens());
      o.put("x", e.truncatedOrWindows());
      sb.append(o).append('\n');
      entries.put(keys.get(i), e);
    }
    if (log == null) {
      return;
    }
    try {
      log.append(sb.toString().getBytes(StandardCharsets.UTF_8), complete);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to request cache " + file, e);
    }
  }

  /** SHA-256 hex of the parts, each length-prefixed so no two part lists collide. */
  public static String key(String... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        byte[] b = p.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(8).putLong(b.length).array());
        md.update(b);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (log != null) {
      try {
        log.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        lock.close();
      }
    }
  }
}
