package evalh.spark;

import evalh.decontam.corpus.CorpusFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;

/**
 * A corpus file on a Hadoop file system (HDFS, S3A, GCS, ABFS, ...). A {@code file:} URI becomes
 * {@link CorpusFile#local}, so local files have the same identity (absolute path) and byte-offset
 * seeks as with the local engine.
 */
final class HadoopCorpusFile implements CorpusFile {
  private final Path path;
  private final Configuration conf;
  private FileStatus status;

  private HadoopCorpusFile(Path path, Configuration conf) {
    this.path = path;
    this.conf = conf;
  }

  /** The corpus file at {@code uri} (a URI with a scheme, as listed by {@link CorpusListing}). */
  static CorpusFile of(String uri, Configuration conf) {
    URI u = URI.create(uri);
    if ("file".equals(u.getScheme())) {
      return CorpusFile.local(java.nio.file.Path.of(u));
    }
    return new HadoopCorpusFile(new Path(u), conf);
  }

  /** Through Hadoop's file system API even for a {@code file:} URI (tests compare the two). */
  static CorpusFile viaHadoop(String uri, Configuration conf) {
    return new HadoopCorpusFile(new Path(URI.create(uri)), conf);
  }

  /** The identity a corpus file gets in provenance: a local path, or the full URI. */
  static String identity(String uri) {
    URI u = URI.create(uri);
    return "file".equals(u.getScheme()) ? java.nio.file.Path.of(u).toString() : uri;
  }

  private FileStatus status() throws IOException {
    if (status == null) {
      status = fs().getFileStatus(path);
    }
    return status;
  }

  private FileSystem fs() throws IOException {
    return path.getFileSystem(conf);
  }

  @Override
  public String path() {
    return path.toString();
  }

  @Override
  public long size() throws IOException {
    return status().getLen();
  }

  @Override
  public long mtimeMs() throws IOException {
    return status().getModificationTime();
  }

  @Override
  public InputStream open() throws IOException {
    return fs().open(path, 1 << 16);
  }

  @Override
  public InputFile parquet() throws IOException {
    return HadoopInputFile.fromStatus(status(), conf);
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
