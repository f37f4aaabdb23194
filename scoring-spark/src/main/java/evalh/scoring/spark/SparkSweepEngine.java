package evalh.scoring.spark;

import evalh.harness.run.OutputStore;
import evalh.harness.run.SweepEngine;
import evalh.harness.run.SweepUnits;
import evalh.spark.SparkMaster;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;

/**
 * {@code evalh run --engine spark}. Loads without Spark on the class path (the evalh jar does not
 * bundle Spark); {@link #run} then says how to get it.
 */
public final class SparkSweepEngine implements SweepEngine {
  /** The command for Spark's messages (in this class: SweepJob needs Spark to load). */
  static final SparkMaster.Command RUN =
      new SparkMaster.Command("run --engine spark", "Scoring on a Spark cluster");

  @Override
  public String name() {
    return "spark";
  }

  /**
   * {@code hdfs://} outputs: {@link HadoopOutputStore}. A lock left unrenewed for {@code
   * spark.evalh.lockStaleAfter} (default 60 s) is a dead attempt's and is taken over.
   */
  @Override
  public OutputStore store(URI output) {
    if (!"hdfs".equalsIgnoreCase(output.getScheme())) {
      return null;
    }
    SparkMaster.requireSpark(RUN, getClass().getClassLoader());
    return HadoopStores.of(output);
  }

  @Override
  public List<SweepUnits.Outcome> run(String master, SweepUnits.Job job, PrintWriter log) {
    SparkMaster.requireSpark(RUN, getClass().getClassLoader());
    return SweepJob.run(master, job, log);
  }
}
