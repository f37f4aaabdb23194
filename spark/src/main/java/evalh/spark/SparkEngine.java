package evalh.spark;

import evalh.decontam.check.ItemChecker;
import evalh.decontam.engine.DistributedEngine;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.paraphrase.WindowOptions;
import evalh.decontam.paraphrase.WindowSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * evalh's decontamination on Apache Spark: {@link ScanJob} for {@code scan}, {@link IndexJob} for
 * {@code index}, {@link ParaphraseScan} for the paraphrase pass. Corpus files are the unit of work
 * (a compressed JSONL stream cannot be split); by default each file is one partition.
 */
public final class SparkEngine implements DistributedEngine {
  private final SparkSession session;
  private final boolean owned;
  private final JavaSparkContext jsc;
  private final int partitions;
  private ExecutorSizing sizing;

  /**
   * Uses {@code session} (not stopped by {@link #close}).
   *
   * @param partitions corpus partitions, 0 for one per file
   */
  public SparkEngine(SparkSession session, int partitions) {
    this(session, false, partitions);
  }

  private SparkEngine(SparkSession session, boolean owned, int partitions) {
    this.session = session;
    this.owned = owned;
    this.jsc = JavaSparkContext.fromSparkContext(session.sparkContext());
    this.partitions = partitions;
  }

  /**
   * Joins the running session, or starts the Spark application. {@code master} null: spark-submit's
   * {@code spark.master}, else {@code local[*]}. A local master binds the driver to 127.0.0.1
   * unless configured otherwise, and has no web UI.
   */
  static SparkEngine start(String master, int partitions) {
    SparkSessions.Started s =
        SparkSessions.start(master, "evalh decontam", SparkMaster.Command.DECONTAM, Map.of());
    return new SparkEngine(s.session(), s.owned(), partitions);
  }

  /** Waits for the executors (once) and measures them. */
  private ExecutorSizing sizing() {
    if (sizing == null) {
      sizing = ExecutorSizing.await(session.sparkContext());
    }
    return sizing;
  }

  private List<List<CorpusListing.Entry>> groups(List<CorpusListing.Entry> files, int dflt) {
    return CorpusListing.balance(files, partitions > 0 ? partitions : dflt);
  }

  @Override
  public CorpusScan scan(
      List<String> corpus,
      BuildOptions options,
      ItemChecker.QueryPlan plan,
      int boilerplateCap,
      PrintWriter log)
      throws IOException {
    SerializableConf conf = new SerializableConf(jsc.hadoopConfiguration());
    List<CorpusListing.Entry> files = CorpusListing.expand(corpus, conf.get());
    List<List<CorpusListing.Entry>> groups = groups(files, files.size());
    log.printf(
        Locale.ROOT,
        "spark scan: %d corpus file(s) in %d partition(s), %d item n-gram hashes broadcast%n",
        files.size(),
        groups.size(),
        plan.ngramHashes().length);
    log.flush();
    long t0 = System.nanoTime();
    ScanJob.Result r =
        ScanJob.run(
            jsc, groups, options, plan.ngramHashes(), plan.shortItems(), boilerplateCap, conf);
    double secs = (System.nanoTime() - t0) / 1e9;
    long docs = 0;
    long tokens = 0;
    long bytes = 0;
    java.util.Map<String, evalh.decontam.corpus.FileStats> perFile = new java.util.TreeMap<>();
    for (ScanJob.FileReport f : r.files()) {
      perFile.put(HadoopCorpusFile.identity(f.uri()), f.stats());
      docs += f.stats().docs;
      tokens += f.stats().tokens;
      bytes += f.bytes();
      if (f.stats().hasProblems()) {
        log.println(HadoopCorpusFile.identity(f.uri()) + ": " + f.stats().summary());
      }
    }
    log.printf(
        Locale.ROOT,
        "spark scan: %d documents, %d tokens, %.3f GB in %.1f s; %d item n-grams matched%n",
        docs,
        tokens,
        bytes / 1e9,
        secs,
        r.postings().size());
    log.flush();
    return new CorpusScan(
        new ScanMatches(jsc, options, conf, r, boilerplateCap),
        files.size(),
        docs,
        tokens,
        bytes,
        secs,
        groups.size(),
        perFile);
  }

  @Override
  public String index(List<String> corpus, BuildOptions options, String out, PrintWriter log)
      throws IOException {
    SparkMaster.requireSharedShardsOut(jsc.master(), out);
    SerializableConf conf = new SerializableConf(jsc.hadoopConfiguration());
    List<CorpusListing.Entry> files = CorpusListing.expand(corpus, conf.get());
    ExecutorSizing sz = sizing();
    double buffer =
        sz.luceneBufferMb(
            options.ramBufferMb(), jsc.getConf().getDouble("spark.memory.fraction", 0.6));
    BuildOptions sized =
        new BuildOptions(options.scheme(), options.textFields(), options.idField(), 1, buffer);
    List<List<CorpusListing.Entry>> groups = groups(files, Math.min(files.size(), sz.slots()));
    log.printf(
        Locale.ROOT,
        "spark index: %s; %d corpus file(s) into %d shard(s)%s, Lucene buffer %.0f MB per task,"
            + " under %s%n",
        sz.describe(),
        files.size(),
        groups.size(),
        partitions > 0 ? " (--partitions)" : " (one per task slot, at most one per file)",
        buffer,
        out);
    log.flush();
    long t0 = System.nanoTime();
    IndexJob.Result r = IndexJob.run(jsc, groups, sized, out, "evalh " + describe(), conf);
    long docs = r.shards().stream().mapToLong(IndexJob.Shard::documents).sum();
    long tokens = r.shards().stream().mapToLong(IndexJob.Shard::tokens).sum();
    log.printf(
        Locale.ROOT,
        "spark index: %d shard(s), %d documents, %d tokens in %.1f s; manifest %s%n",
        r.shards().size(),
        docs,
        tokens,
        (System.nanoTime() - t0) / 1e9,
        r.manifest());
    log.flush();
    return r.manifest();
  }

  @Override
  public WindowSource paraphrase(List<String> corpus, WindowOptions options, PrintWriter log)
      throws IOException {
    SerializableConf conf = new SerializableConf(jsc.hadoopConfiguration());
    List<CorpusListing.Entry> files = CorpusListing.expand(corpus, conf.get());
    List<List<CorpusListing.Entry>> groups = groups(files, files.size());
    log.printf(
        Locale.ROOT,
        "spark paraphrase scan: %d corpus file(s) in %d partition(s), windows of %d words every"
            + " %d%n",
        files.size(),
        groups.size(),
        options.window(),
        options.step());
    log.flush();
    return new ParaphraseScan(
        jsc, groups, options, conf, log, describe() + " paraphrase scan of " + corpus);
  }

  /** The executors' task slots (the cores tasks run on), once they have registered. */
  @Override
  public int cores() {
    return sizing().slots();
  }

  @Override
  public String describe() {
    return "spark " + jsc.version() + " " + jsc.master();
  }

  @Override
  public void close() {
    if (owned) {
      session.stop();
    }
  }
}
