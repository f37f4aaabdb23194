package evalh.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one way an evalh command ({@code decontam --engine spark}, {@code run --engine spark}) starts
 * or joins its Spark application from a {@code --master} URL.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * A session and whether this command started it (and so stops it when done).
   *
   * @param owned false when the command joined a running session (a notebook, a test)
   */
  public record Started(SparkSession session, boolean owned) {}

  /**
   * Joins the running session, or starts the Spark application. {@code master} null: spark-submit's
   * {@code spark.master}, else {@code local[*]}. A standalone master that accepts no connection,
   * and a YARN or Kubernetes master without its cluster manager on the class path, fail at once
   * with what to do ({@link SparkMaster}). A local master binds the driver to 127.0.0.1 unless
   * configured otherwise, and has no web UI; any other gets {@code spark.jars} set to the jar evalh
   * was loaded from, unless spark-submit set it.
   *
   * @param defaults settings the command needs unless the user gave them (a new application only)
   */
  public static Started start(
      String master, String appName, SparkMaster.Command command, Map<String, String> defaults) {
    if (master != null) {
      SparkMaster.requireReachable(master);
    }
    scala.Option<SparkSession> running = SparkSession.getDefaultSession();
    if (running.isDefined()) {
      return new Started(running.get(), false);
    }
    SparkConf given = new SparkConf();
    String m = master != null ? master : given.get("spark.master", "local[*]");
    SparkMaster.requireClusterManager(m, SparkSessions.class.getClassLoader(), command);
    SparkSession.Builder b = SparkSession.builder().appName(appName).master(m);
    defaults.forEach(
        (k, v) -> {
          if (!given.contains(k)) {
            b.config(k, v);
          }
        });
    if (SparkMaster.isLocal(m)) {
      for (String[] kv :
          new String[][] {
            {"spark.driver.bindAddress", "127.0.0.1"},
            {"spark.driver.host", "127.0.0.1"},
            {"spark.ui.enabled", "false"}
          }) {
        if (!given.contains(kv[0])) {
          b.config(kv[0], kv[1]);
        }
      }
    } else if (!given.contains("spark.jars")) {
      // spark-submit sets spark.jars to the application jar; ./evalh (java -cp) does not
      b.config("spark.jars", SparkMaster.jarsToShip(m, SparkMaster.ownJar()));
    }
    return new Started(b.getOrCreate(), true);
  }
}
