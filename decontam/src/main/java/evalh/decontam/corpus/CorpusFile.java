package evalh.decontam.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;

/**
 * A corpus file wherever it lives: the readers only need its name, a byte stream and (for parquet)
 * random access. {@link #local} covers the local file system; the Spark engine supplies one for any
 * Hadoop file system (HDFS, S3A, GCS), so both engines read documents with the same readers.
 */
public interface CorpusFile {
  /**
   * The file's identity in provenance and index metadata: the absolute normalised path for a local
   * file, the full URI otherwise.
   */
  String path();

  /** The last path component (its extension picks the reader and the decompressor). */
  default String name() {
    String p = path();
    return p.substring(p.lastIndexOf('/') + 1);
  }

  long size() throws IOException;

  long mtimeMs() throws IOException;

  /** The raw (possibly compressed) bytes from the start. */
  InputStream open() throws IOException;

  /** Random access for parquet-mr. */
  InputFile parquet() throws IOException;

  /** Whether the file can be read through {@link java.nio.file.Files} (byte-offset seeks). */
  default Path localPath() {
    return null;
  }

  /** A file on the local file system. */
  static CorpusFile local(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return new CorpusFile() {
      @Override
      public String path() {
        return abs.toString();
      }

      @Override
      public long size() throws IOException {
        return Files.size(abs);
      }

      @Override
      public long mtimeMs() throws IOException {
        return Files.getLastModifiedTime(abs).toMillis();
      }

      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(abs);
      }

      @Override
      public InputFile parquet() {
        return new LocalInputFile(abs);
      }

      @Override
      public Path localPath() {
        return abs;
      }

      @Override
      public String toString() {
        return abs.toString();
      }
    };
  }
}
