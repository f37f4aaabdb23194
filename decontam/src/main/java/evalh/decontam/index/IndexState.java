package evalh.decontam.index;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import evalh.core.io.AtomicFiles;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Index metadata ({@value #SCHEMA}), stored atomically with the documents in each Lucene commit's
 * user data (key {@value #COMMIT_KEY}) and mirrored to {@code evalh-index.json} for people. Records
 * the n-gram scheme (normalisation id, n, stride, hash id), the fields read, and every corpus file
 * with its ordinal, size, mtime, status ({@code done} or {@code started}) and read statistics.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class IndexState {
  public static final String SCHEMA = "evalh.index/1";
  public static final String COMMIT_KEY = "evalh.index";
  public static final String MIRROR_FILE = "evalh-index.json";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @JsonProperty public String schema = SCHEMA;
  @JsonProperty public String normalization;
  @JsonProperty public int n;
  @JsonProperty public int stride;

  /** Winnowing window (1: none; absent in indexes built before winnowing existed). */
  @JsonProperty public int window = 1;

  @JsonProperty public String hash;

  @JsonProperty("term_form")
  public String termForm = "hash64";

  @JsonProperty("text_fields")
  public List<String> textFields;

  @JsonProperty("id_field")
  public String idField;

  @JsonProperty("lucene_version")
  public String luceneVersion = org.apache.lucene.util.Version.LATEST.toString();

  @JsonProperty public List<FileEntry> files = new ArrayList<>();

  /** One corpus file of the index. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class FileEntry {
    @JsonProperty public int ord;
    @JsonProperty public String path;
    @JsonProperty public long size;

    @JsonProperty("mtime_ms")
    public long mtimeMs;

    /** {@code done} (all documents committed) or {@code started}. */
    @JsonProperty public String status;

    @JsonProperty public FileStats stats;

    public boolean done() {
      return "done".equals(status);
    }
  }

  public NgramScheme scheme() {
    return new NgramScheme(Normalization.parse(normalization), n, stride, window);
  }

  static IndexState create(NgramScheme scheme, List<String> textFields, String idField) {
    IndexState s = new IndexState();
    s.normalization = scheme.normalization().id();
    s.n = scheme.n();
    s.stride = scheme.stride();
    s.window = scheme.window();
    s.hash = scheme.hash();
    s.textFields = List.copyOf(textFields);
    s.idField = idField;
    return s;
  }

  /** The entry for an absolute path, or null. */
  public FileEntry file(String path) {
    return files.stream().filter(f -> f.path.equals(path)).findFirst().orElse(null);
  }

  /** The path of a file ordinal. */
  public String path(int ord) {
    for (FileEntry f : files) {
      if (f.ord == ord) {
        return f.path;
      }
    }
    throw new IllegalStateException("index metadata lacks file ordinal " + ord);
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static IndexState fromCommit(Map<String, String> userData, Path dir) throws IOException {
    String json = userData.get(COMMIT_KEY);
    if (json == null) {
      throw new IOException(dir + " is a Lucene index but not an evalh decontamination index");
    }
    IndexState s = JSON.readValue(json, IndexState.class);
    if (!SCHEMA.equals(s.schema)) {
      throw new IOException(
          dir + ": unsupported index schema " + s.schema + " (want " + SCHEMA + ")");
    }
    if (!evalh.decontam.text.NgramHasher.ID.equals(s.hash)) {
      throw new IOException(
          dir
              + ": index hashed with "
              + s.hash
              + ", this evalh uses "
              + evalh.decontam.text.NgramHasher.ID);
    }
    return s;
  }

  /** Writes {@code evalh-index.json} into {@code dir} atomically. */
  void writeMirror(Path dir) throws IOException {
    AtomicFiles.writeString(dir.resolve(MIRROR_FILE), toJson());
  }

  IndexState copy() {
    try {
      return JSON.readValue(toJson(), IndexState.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
