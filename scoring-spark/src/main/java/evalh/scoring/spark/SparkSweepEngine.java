package evalh.scoring.spark;

import evalh.harness.run.SweepEngine;
import evalh.harness.run.SweepUnits;
import evalh.spark.SparkMaster;
import java.io.PrintWriter;
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

  @Override
  public List<SweepUnits.Outcome> run(String master, SweepUnits.Job job, PrintWriter log) {
    SparkMaster.requireSpark(RUN, getClass().getClassLoader());
    return SweepJob.run(master, job, log);
  }
}
