package evalh.tasks.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where datasets are read from: a local folder laid out as {@code huggingface-cli download
 * --local-dir $EVALH_DATA/<repo>} leaves it, or the small sample data bundled with evalh.
 *
 * @param path the folder
 * @param sample whether this is the bundled sample data
 */
public record DataRoot(Path path, boolean sample) {
  private static final String SAMPLE = "evalh/tasks/sample/";

  public static DataRoot of(Path dir) {
    return new DataRoot(dir, false);
  }

  /** {@code $EVALH_DATA} if set, else null. */
  public static DataRoot fromEnvironment() {
    String env = System.getenv("EVALH_DATA");
    return env == null || env.isBlank() ? null : new DataRoot(Path.of(env), false);
  }

  /** The bundled sample data (a folder of the class path, possibly inside the jar). */
  public static DataRoot bundledSample() {
    URL url = DataRoot.class.getClassLoader().getResource(SAMPLE + "README.md");
    if (url == null) {
      throw new IllegalStateException("bundled sample data missing from the class path");
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        try {
          FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          // already open
        }
      }
      return new DataRoot(Path.of(uri).getParent(), true);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How to name the root in a download hint. */
  public String display() {
    return sample ? "(bundled sample data)" : path.toString();
  }
}
