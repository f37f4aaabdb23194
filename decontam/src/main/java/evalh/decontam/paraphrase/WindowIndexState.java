package evalh.decontam.paraphrase;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import evalh.core.io.AtomicFiles;
import evalh.decontam.index.IndexState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Window index metadata ({@value #SCHEMA}), stored in each Lucene commit's user data (key {@value
 * #COMMIT_KEY}) with the windows it makes durable, and mirrored to {@value #MIRROR_FILE}: the
 * analyzer id, window length and step in words, the fields read, and every corpus file with its
 * ordinal, size, mtime, status ({@code done} or {@code started}) and read statistics (the n-gram
 * index's file entries).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class WindowIndexState {
  /**
   * Version 3 indexes each window's distinct analyzed terms (postings without frequencies or norms)
   * and keeps them as sorted-set doc values (per segment a term dictionary and each window's term
   * ordinals); versions 1 (BM25 over re-analyzed text) and 2 (space-joined binary doc values) are
   * refused.
   */
  public static final String SCHEMA = "evalh.window-index/3";

  public static final String COMMIT_KEY = "evalh.window-index";
  public static final String MIRROR_FILE = "evalh-window-index.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @JsonProperty public String schema = SCHEMA;
  @JsonProperty public String analyzer;
  @JsonProperty public int window;
  @JsonProperty public int step;

  @JsonProperty("text_fields")
  public List<String> textFields;

  @JsonProperty("id_field")
  public String idField;

  @JsonProperty("lucene_version")
  public String luceneVersion = org.apache.lucene.util.Version.LATEST.toString();

  @JsonProperty public List<IndexState.FileEntry> files = new ArrayList<>();

  static WindowIndexState create(WindowOptions o) {
    WindowIndexState s = new WindowIndexState();
    s.analyzer = ParaphraseAnalyzer.ID;
    s.window = o.window();
    s.step = o.step();
    s.textFields = List.copyOf(o.textFields());
    s.idField = o.idField();
    return s;
  }

  /** The entry for a file path, or null. */
  public IndexState.FileEntry file(String path) {
    return files.stream().filter(f -> f.path.equals(path)).findFirst().orElse(null);
  }

  /** The path of a file ordinal. */
  public String path(int ord) {
    for (IndexState.FileEntry f : files) {
      if (f.ord == ord) {
        return f.path;
      }
    }
    throw new IllegalStateException("window index metadata lacks file ordinal " + ord);
  }

  /** The paths of files left {@code started} by an interrupted build. */
  public List<String> unfinished() {
    return files.stream().filter(f -> !f.done()).map(f -> f.path).toList();
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static WindowIndexState fromCommit(Map<String, String> userData, Path dir) throws IOException {
    String json = userData.get(COMMIT_KEY);
    if (json == null) {
      throw new IOException(dir + " is a Lucene index but not an evalh window index");
    }
    WindowIndexState s = JSON.readValue(json, WindowIndexState.class);
    if (!SCHEMA.equals(s.schema)) {
      throw new IOException(
          dir
              + ": window index format "
              + s.schema
              + ", this evalh reads "
              + SCHEMA
              + " (it stores each window's analyzed terms); delete "
              + dir
              + " and rebuild it (evalh index --paraphrase, or evalh decontam --paraphrase)");
    }
    if (!ParaphraseAnalyzer.ID.equals(s.analyzer)) {
      throw new IOException(
          dir
              + ": window index analyzed with "
              + s.analyzer
              + ", this evalh uses "
              + ParaphraseAnalyzer.ID
              + "; rebuild it (evalh index --paraphrase)");
    }
    return s;
  }

  void writeMirror(Path dir) throws IOException {
    AtomicFiles.writeString(dir.resolve(MIRROR_FILE), toJson());
  }
}
