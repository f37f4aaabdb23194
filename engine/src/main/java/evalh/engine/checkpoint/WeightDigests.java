package evalh.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * SHA-256 of a weight file's bytes, computed once and kept in the user's cache ({@code
 * <cache>/weights/}, one small JSON file per weight file) under the file's identity: absolute path,
 * size, modification time, inode and status-change time. Rewriting the weights in place changes the
 * modification and status-change times (even when the modification time is put back with {@code
 * touch -r}), so the next open hashes the bytes again; an unchanged file costs a stat.
 *
 * <p>The cache is a convenience: when it cannot be read or written the digest is computed (and
 * correct) anyway.
 */
public final class WeightDigests {
  /** The system property that moves the cache (tests set it), else {@code ~/.cache/evalh}. */
  public static final String CACHE_PROPERTY = "evalh.cacheDir";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 8 << 20;

  private WeightDigests() {}

  /** The cache root: {@value #CACHE_PROPERTY} if set, else {@code ~/.cache/evalh}. */
  public static Path defaultCacheRoot() {
    String p = System.getProperty(CACHE_PROPERTY);
    return p != null && !p.isBlank()
        ? Path.of(p)
        : Path.of(System.getProperty("user.home"), ".cache", "evalh");
  }

  /** The file's identity as the cache keys it; changes whenever the file is rewritten. */
  record Identity(String path, long size, String mtime, String inode, String ctime) {
    static Identity of(Path file) throws IOException {
      Path abs = file.toAbsolutePath().normalize();
      long size = Files.size(abs);
      FileTime mtime = Files.getLastModifiedTime(abs);
      Object inode = null;
      Object ctime = null;
      try {
        inode = Files.getAttribute(abs, "unix:ino");
        ctime = Files.getAttribute(abs, "unix:ctime");
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        // not a unix file system: path, size and mtime only
      }
      return new Identity(
          abs.toString(),
          size,
          mtime.toInstant().toString(),
          inode == null ? null : inode.toString(),
          ctime == null ? null : ctime.toString());
    }

    ObjectNode toJson() {
      ObjectNode o = JSON.createObjectNode();
      o.put("path", path);
      o.put("size", size);
      o.put("mtime", mtime);
      o.put("inode", inode);
      o.put("ctime", ctime);
      return o;
    }

    boolean matches(JsonNode o) {
      return o.isObject()
          && o.path("path").asText().equals(path)
          && o.path("size").asLong(-1) == size
          && o.path("mtime").asText().equals(mtime)
          && Objects.equals(o.path("inode").textValue(), inode)
          && Objects.equals(o.path("ctime").textValue(), ctime);
    }
  }

  /**
   * Files smaller than this are hashed on every open (well under a second) and not recorded, so
   * that small and temporary checkpoints ({@code --ckpt demo}'s copies, tests) leave no entries.
   */
  public static final long MIN_CACHED_BYTES = 64L << 20;

  /**
   * The hex SHA-256 of {@code file}'s bytes, from {@code cacheRoot} when the file is unchanged
   * since it was hashed there, else computed and recorded; {@code cacheRoot} null: computed, not
   * cached.
   */
  public static String sha256(Path file, Path cacheRoot) {
    try {
      if (cacheRoot == null) {
        return hash(file);
      }
      Identity id = Identity.of(file);
      Path entry = cacheRoot.resolve("weights").resolve(hex(digestOf(id.path())) + ".json");
      JsonNode cached = readEntry(entry);
      if (cached != null && id.matches(cached) && cached.path("sha256").isTextual()) {
        return cached.path("sha256").asText();
      }
      String digest = hash(file);
      if (Identity.of(file).equals(id)) { // not rewritten while it was read
        ObjectNode o = id.toJson();
        o.put("sha256", digest);
        try {
          Files.createDirectories(entry.getParent());
          AtomicFiles.writeString(entry, JSON.writeValueAsString(o));
        } catch (IOException e) {
          // no cache: the next open hashes again
        }
      }
      return digest;
    } catch (IOException e) {
      throw new CheckpointException("cannot hash " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readEntry(Path entry) {
    try {
      return JSON.readTree(Files.readString(entry, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null; // unreadable or corrupt entry: hash again and replace it
    }
  }

  /** SHA-256 of the whole file, read in 8 MiB chunks. */
  static String hash(Path file) throws IOException {
    MessageDigest md = sha256();
    ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buf) >= 0) {
        buf.flip();
        md.update(buf);
        buf.clear();
      }
    }
    return hex(md.digest());
  }

  private static byte[] digestOf(String s) {
    return sha256().digest(s.getBytes(StandardCharsets.UTF_8));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
