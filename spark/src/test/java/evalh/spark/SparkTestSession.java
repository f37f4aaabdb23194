package evalh.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The one in-process {@link SparkSession} shared by every test class of this module: created on
 * first use, {@code local[2]}, bound to 127.0.0.1 only, no UI, few shuffle partitions (heap size:
 * surefire's argLine, since the driver is this JVM). Spark stops it from its own JVM shutdown hook,
 * so tests never stop it.
 */
public final class SparkTestSession {
  private SparkTestSession() {}

  private static final class Holder {
    static final SparkSession SESSION =
        SparkSession.builder()
            .appName("evalh-spark-tests")
            .master("local[2]")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "2")
            .getOrCreate();
  }

  /** The shared session. */
  public static SparkSession get() {
    return Holder.SESSION;
  }

  /** A Java API view of the shared session's context. */
  public static JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(get().sparkContext());
  }
}
