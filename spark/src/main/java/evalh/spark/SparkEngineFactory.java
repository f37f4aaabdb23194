package evalh.spark;

import evalh.decontam.engine.DistributedEngine;
import evalh.decontam.engine.DistributedEngineFactory;
import java.io.PrintWriter;

/**
 * {@code --engine spark}. Loads without Spark on the class path (the evalh jar does not bundle
 * Spark); {@link #start} then says how to get it.
 */
public final class SparkEngineFactory implements DistributedEngineFactory {
  @Override
  public String name() {
    return "spark";
  }

  @Override
  public DistributedEngine start(String master, int partitions, PrintWriter log) {
    try {
      Class.forName("org.apache.spark.sql.SparkSession", false, getClass().getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "--engine spark needs Apache Spark 4.x on the class path, and this JVM has none: run"
              + " through ./evalh (it adds Spark's jars from the Maven build), or submit"
              + " cli/target/evalh-spark-job.jar with spark-submit --class evalh.cli.Main (see"
              + " README, 'Decontamination on a Spark cluster')",
          e);
    }
    return SparkEngine.start(master, partitions);
  }
}
