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
    SparkMaster.requireSpark(SparkMaster.Command.DECONTAM, getClass().getClassLoader());
    return SparkEngine.start(master, partitions);
  }
}
