package evalh.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import evalh.decontam.corpus.CorpusFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Expands corpus arguments on the driver into file URIs with sizes. A path without a scheme is a
 * local path and is expanded exactly as the local engine does ({@link CorpusFiles#expand}); a URI
 * ({@code hdfs://}, {@code s3a://}, {@code gs://}, {@code file:}) is a file, a directory (walked
 * recursively) or a glob, through Hadoop's file system API. Only supported corpus extensions are
 * taken; an argument that matches none is an error naming it.
 */
final class CorpusListing {
  private CorpusListing() {}

  /** A corpus file: URI and size in bytes. */
  @DefaultSerializer(JavaSerializer.class)
  record Entry(String uri, long size) implements java.io.Serializable {}

  static List<Entry> expand(List<String> specs, Configuration conf) throws IOException {
    TreeMap<String, Long> out = new TreeMap<>();
    for (String spec : specs) {
      if (!CorpusFiles.hasScheme(spec)) {
        for (java.nio.file.Path p : CorpusFiles.expand(List.of(spec))) {
          out.put(p.toUri().toString(), java.nio.file.Files.size(p));
        }
        continue;
      }
      Path p = new Path(spec);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      int before = out.size();
      if (matches != null) {
        for (FileStatus st : matches) {
          if (st.isDirectory()) {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(st.getPath(), true);
            while (it.hasNext()) {
              LocatedFileStatus f = it.next();
              if (f.isFile() && CorpusFiles.isCorpusFile(f.getPath().getName())) {
                out.put(uri(f.getPath()), f.getLen());
              }
            }
          } else if (CorpusFiles.isCorpusFile(st.getPath().getName())) {
            out.put(uri(st.getPath()), st.getLen());
          } else if (!isGlob(spec)) {
            throw new IllegalArgumentException(
                "corpus file '"
                    + spec
                    + "' has an unsupported extension (expected .jsonl/.json/.ndjson, optionally"
                    + " .gz or .zst, or .parquet)");
          }
        }
      }
      if (out.size() == before) {
        throw new IllegalArgumentException("corpus path '" + spec + "' matches no corpus file");
      }
    }
    List<Entry> entries = new ArrayList<>();
    out.forEach((u, s) -> entries.add(new Entry(u, s)));
    return entries;
  }

  private static boolean isGlob(String s) {
    return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  /** One spelling per file ({@code file:///a} and {@code file:/a} are the same local file). */
  private static String uri(Path p) {
    java.net.URI u = p.toUri();
    return "file".equals(u.getScheme())
        ? java.nio.file.Path.of(u).toUri().toString()
        : u.toString();
  }

  /**
   * Splits files into {@code k} groups of similar total size (largest first, each to the lightest
   * group), each group's files in URI order.
   */
  static List<List<Entry>> balance(List<Entry> files, int k) {
    int groups = Math.max(1, Math.min(k, files.size()));
    List<List<Entry>> out = new ArrayList<>();
    long[] load = new long[groups];
    for (int i = 0; i < groups; i++) {
      out.add(new ArrayList<>());
    }
    List<Entry> bySize = new ArrayList<>(files);
    bySize.sort(
        java.util.Comparator.comparingLong(Entry::size).reversed().thenComparing(Entry::uri));
    for (Entry e : bySize) {
      int g = 0;
      for (int i = 1; i < groups; i++) {
        if (load[i] < load[g]) {
          g = i;
        }
      }
      out.get(g).add(e);
      load[g] += e.size();
    }
    for (List<Entry> g : out) {
      g.sort(java.util.Comparator.comparing(Entry::uri));
    }
    return out;
  }
}
