package evalh.scoring.spark;

import evalh.harness.run.SweepEngine;
import evalh.harness.run.SweepUnits;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code evalh run --engine spark}. Loads without Spark on the class path (the evalh jar does not
 * bundle Spark); {@link #run} then says how to get it.
 */
public final class SparkSweepEngine implements SweepEngine {
  @Override
  public String name() {
    return "spark";
  }

  @Override
  public List<SweepUnits.Outcome> run(String master, SweepUnits.Job job, PrintWriter log) {
    try {
      Class.forName("org.apache.spark.sql.SparkSession", false, getClass().getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "--engine spark needs Apache Spark 4.x on the class path, and this JVM has none: run"
              + " through ./evalh (it adds Spark's jars from the Maven build), or submit"
              + " cli/target/evalh-spark-job.jar with spark-submit --class evalh.cli.Main (see"
              + " README, 'Scoring on a Spark cluster')",
          e);
    }
    return SweepJob.run(master, job, log);
  }
}
