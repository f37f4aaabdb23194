package evalh.decontam.engine;

import evalh.decontam.check.CorpusMatches;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.paraphrase.WindowOptions;
import evalh.decontam.paraphrase.WindowSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * A cluster engine for decontamination (today: Apache Spark, in module {@code evalh-spark}). It
 * computes what the local engine reads from a Lucene index — n-gram postings with provenance, or
 * the index itself as shards — and hands the result to the same {@link ItemChecker} and report
 * code. Open one per run and close it when the report is written.
 */
public interface DistributedEngine extends AutoCloseable {
  /**
   * <b>scan</b>: every document of the corpus is analysed with the index analyzer and its n-gram
   * hashes are looked up in the plan's item hashes (broadcast); the postings of matched hashes are
   * reduced across the cluster. The returned corpus answers {@link ItemChecker#check} exactly as an
   * index built with the same options would.
   *
   * @param corpus file, directory or glob paths or URIs on any Hadoop file system
   * @param boilerplateCap documents kept per n-gram (postings of more frequent n-grams only count)
   */
  CorpusScan scan(
      List<String> corpus,
      BuildOptions options,
      ItemChecker.QueryPlan plan,
      int boilerplateCap,
      PrintWriter log)
      throws IOException;

  /**
   * <b>index</b>: each partition of corpus files is indexed into a Lucene shard on the worker's
   * local disk with the local indexer, then copied to {@code out}; the manifest is written last.
   *
   * @param out directory path or URI (any Hadoop file system) that receives the shards and the
   *     manifest
   * @return the manifest's location
   */
  String index(List<String> corpus, BuildOptions options, String out, PrintWriter log)
      throws IOException;

  /**
   * <b>paraphrase scan</b>: the paraphrase pass's {@link WindowSource} over the corpus's windows,
   * without a window index. Each of its questions is one pass over the corpus: every window is cut
   * and analyzed by {@link evalh.decontam.paraphrase.Windows#read} as the window index build does,
   * and the items' terms are broadcast with an inverted term table, so it answers exactly as the
   * local window index would ({@link evalh.decontam.paraphrase.Candidates}).
   *
   * @param corpus file, directory or glob paths or URIs on any Hadoop file system
   */
  WindowSource paraphrase(List<String> corpus, WindowOptions options, PrintWriter log)
      throws IOException;

  /**
   * The cores (task slots) the engine's workers run tasks on, for per-core rates; waits until the
   * workers have registered.
   */
  int cores();

  /** What the engine runs on, for the report (e.g. {@code spark 4.2.0 local[2]}). */
  String describe();

  @Override
  void close();

  /**
   * A scan's answers and what it read.
   *
   * @param fileStats per corpus file (path or URI): documents read, records skipped or malformed,
   *     and whether it was read to its end
   */
  record CorpusScan(
      CorpusMatches matches,
      int files,
      long documents,
      long tokens,
      long bytes,
      double seconds,
      int partitions,
      Map<String, FileStats> fileStats) {
    public CorpusScan {
      fileStats = Map.copyOf(fileStats);
    }
  }
}
