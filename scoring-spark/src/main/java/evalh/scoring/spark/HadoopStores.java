package evalh.scoring.spark;

import evalh.harness.run.OutputStore;
import java.net.URI;
import org.apache.spark.SparkConf;

/** Builds {@link HadoopOutputStore} (a class of its own: it needs Spark and Hadoop to load). */
final class HadoopStores {
  /** How long a lock may stay unrenewed before it counts as a dead attempt's. */
  static final String STALE_AFTER = "spark.evalh.lockStaleAfter";

  private HadoopStores() {}

  static OutputStore of(URI output) {
    long stale = new SparkConf().getTimeAsMs(STALE_AFTER, "60s");
    if (stale < 100) {
      throw new IllegalArgumentException(
          STALE_AFTER + " must be at least 100ms, got " + stale + "ms");
    }
    return new HadoopOutputStore(output, stale);
  }
}
