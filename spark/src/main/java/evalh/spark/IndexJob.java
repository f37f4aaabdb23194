package evalh.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.BuildReport;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.ShardManifest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.lucene.util.IOUtils;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.Utils;
import scala.Tuple2;

/**
 * The {@code index} mode: each partition indexes its corpus files into a Lucene shard in one of the
 * executor's Spark-managed local directories with the local engine's {@link CorpusIndexer} (same
 * analyzer, same stored provenance), then publishes it to {@code <out>/shard-NNNNN} through the
 * Hadoop file system API (copy to {@code <out>/_tmp}, then rename, so a retried task never leaves
 * half a shard). The driver writes {@value ShardManifest#FILE} last: a manifest exists only for a
 * complete set.
 */
final class IndexJob {
  private IndexJob() {}

  /**
   * One published shard.
   *
   * @param scratch where the executor built it before publishing (deleted since)
   */
  @DefaultSerializer(JavaSerializer.class)
  record Shard(
      String name,
      int files,
      long documents,
      long tokens,
      double seconds,
      String log,
      String scratch)
      implements Serializable {}

  /** The manifest's location and the shards. */
  record Result(String manifest, List<Shard> shards) {}

  static Result run(
      JavaSparkContext jsc,
      List<List<CorpusListing.Entry>> groups,
      BuildOptions options,
      String out,
      String builtBy,
      SerializableConf conf)
      throws IOException {
    Path outDir = qualify(out, conf);
    FileSystem fs = outputFs(outDir, conf);
    if (fs.exists(new Path(outDir, ShardManifest.FILE))) {
      throw new IllegalArgumentException(
          outDir + " already holds a shard manifest: choose another --shards-out or delete it");
    }
    List<Tuple2<Integer, List<CorpusListing.Entry>>> numbered = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      numbered.add(new Tuple2<>(i, groups.get(i)));
    }
    String outUri = outDir.toString();
    BuildOptions one = options.withThreads(1);
    List<Shard> shards =
        new ArrayList<>(
            jsc.parallelize(numbered, numbered.size())
                .map(t -> buildShard(t._1(), t._2(), one, outUri, conf))
                .collect());
    if (shards.stream().mapToLong(Shard::documents).sum() == 0) {
      throw new IllegalArgumentException(
          "empty corpus: no document with a non-empty "
              + String.join("/", options.textFields())
              + " field in any of the corpus files");
    }
    shards.sort(Comparator.comparing(Shard::name));
    ShardManifest m = new ShardManifest();
    m.builtBy = builtBy;
    shards.forEach(s -> m.shards.add(s.name()));
    Path manifest = new Path(outDir, ShardManifest.FILE);
    Path tmp = new Path(outDir, "_tmp/" + ShardManifest.FILE);
    try (OutputStream o = fs.create(tmp, true)) {
      o.write(m.toJson().getBytes(StandardCharsets.UTF_8));
    }
    if (!fs.rename(tmp, manifest)) {
      throw new IOException("cannot move " + tmp + " to " + manifest);
    }
    fs.delete(new Path(outDir, "_tmp"), true);
    return new Result(manifest.toString(), shards);
  }

  /**
   * The file system to publish to; for local output the raw one, which writes no {@code .crc} side
   * files next to the index files (Lucene checksums its own files).
   */
  private static FileSystem outputFs(Path p, SerializableConf conf) throws IOException {
    FileSystem fs = p.getFileSystem(conf.get());
    return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
  }

  /** An output location as a qualified Hadoop path (a plain path is a local directory). */
  static Path qualify(String out, SerializableConf conf) throws IOException {
    if (!CorpusFiles.hasScheme(out)) {
      return new Path(java.nio.file.Path.of(out).toAbsolutePath().normalize().toUri());
    }
    Path p = new Path(out);
    return p.getFileSystem(conf.get()).makeQualified(p);
  }

  private static Shard buildShard(
      int number,
      List<CorpusListing.Entry> files,
      BuildOptions options,
      String out,
      SerializableConf conf)
      throws IOException {
    String name = String.format(Locale.ROOT, "shard-%05d", number);
    java.nio.file.Path local =
        Files.createTempDirectory(scratchRoot(), SCRATCH_PREFIX + name + "-");
    try {
      StringWriter log = new StringWriter();
      List<CorpusFile> cfs = new ArrayList<>();
      for (CorpusListing.Entry e : files) {
        cfs.add(HadoopCorpusFile.of(e.uri(), conf.get()));
      }
      // a partition whose files hold no usable document still publishes its (empty) shard
      BuildReport br =
          new CorpusIndexer(local, options, new PrintWriter(log)).buildFiles(cfs, true);
      Path dst = new Path(out, name);
      FileSystem fs = outputFs(dst, conf);
      TaskContext tc = TaskContext.get();
      String attempt = tc == null ? "0" : Long.toString(tc.taskAttemptId());
      Path tmp = new Path(out, "_tmp/" + name + "-" + attempt);
      fs.delete(tmp, true);
      fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
      fs.delete(dst, true);
      if (!fs.rename(tmp, dst)) {
        throw new IOException("cannot move " + tmp + " to " + dst);
      }
      return new Shard(
          name,
          files.size(),
          br.totalDocs(),
          br.tokens(),
          br.seconds(),
          log.toString(),
          local.toString());
    } finally {
      // also when the task fails; a killed executor's folder goes with the application's local
      // directories
      IOUtils.rm(local);
    }
  }

  /** Prefix of the folders shards are built in. */
  static final String SCRATCH_PREFIX = "evalh-";

  /**
   * Where an executor builds a shard: one of its Spark-managed local directories ({@code
   * spark.local.dir}; on standalone, YARN and Kubernetes the application's own directories, removed
   * with the application), not the system temp directory, where a killed executor's half-built
   * shard would stay.
   */
  static java.nio.file.Path scratchRoot() throws IOException {
    SparkEnv env = SparkEnv.get();
    if (env == null) {
      throw new IllegalStateException("IndexJob runs inside a Spark executor");
    }
    java.nio.file.Path p = java.nio.file.Path.of(Utils.getLocalDir(env.conf()));
    Files.createDirectories(p);
    return p;
  }
}
