package evalh.decontam.index;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import evalh.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sharded index ({@value #SCHEMA}): a directory holding {@value #FILE} and one complete evalh
 * index per shard, each built from a disjoint set of corpus files (by the Spark {@code index} mode,
 * one shard per partition). {@link NgramIndex#open} reads all shards together and answers as one
 * index over all their files. Shard paths are relative to the manifest's directory, so the tree can
 * be copied as a whole (e.g. downloaded from S3).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class ShardManifest {
  public static final String SCHEMA = "evalh.shards/1";
  public static final String FILE = "evalh-shards.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @JsonProperty public String schema = SCHEMA;

  /** Shard directories relative to the manifest's directory. */
  @JsonProperty public List<String> shards = new ArrayList<>();

  /** Who built it (e.g. {@code evalh spark index, master local[2]}). */
  @JsonProperty("built_by")
  public String builtBy;

  /** The manifest in {@code path} (a manifest file or a directory holding one), or null. */
  public static Path locate(Path path) {
    if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".json")) {
      return path;
    }
    Path m = path.resolve(FILE);
    return Files.isRegularFile(m) ? m : null;
  }

  public static ShardManifest read(Path manifest) throws IOException {
    ShardManifest m;
    try {
      m = JSON.readValue(manifest.toFile(), ShardManifest.class);
    } catch (IOException e) {
      throw new IOException(manifest + ": not a shard manifest: " + e.getMessage(), e);
    }
    if (!SCHEMA.equals(m.schema)) {
      throw new IOException(
          manifest + ": unsupported manifest schema " + m.schema + " (want " + SCHEMA + ")");
    }
    if (m.shards == null || m.shards.isEmpty()) {
      throw new IOException(manifest + ": lists no shards");
    }
    return m;
  }

  /** Shard directories, resolved against the manifest's directory. */
  public List<Path> shardDirs(Path manifest) {
    Path base = manifest.toAbsolutePath().getParent();
    return shards.stream().map(s -> base.resolve(s).normalize()).toList();
  }

  /** Writes the manifest atomically (temp file + rename) as {@code dir/}{@value #FILE}. */
  public Path write(Path dir) throws IOException {
    Path out = dir.resolve(FILE);
    AtomicFiles.writeString(out, JSON.writeValueAsString(this));
    return out;
  }

  /** The JSON text (for writers on other file systems). */
  public String toJson() throws IOException {
    return JSON.writeValueAsString(this);
  }
}
