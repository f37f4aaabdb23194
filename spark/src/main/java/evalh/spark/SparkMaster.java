package evalh.spark;

import evalh.decontam.corpus.CorpusFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@code --master} URL needs before a session can start: a local master needs nothing; any
 * other needs the job jar shipped to its executors ({@code spark.jars}); {@code yarn} and {@code
 * k8s://} need Spark's cluster-manager module on the driver's class path, which only a Spark
 * distribution's spark-submit has. Issue 16: without {@code spark.jars} every executor failed with
 * {@code ClassNotFoundException}, and yarn/k8s failed with "Could not parse Master URL".
 */
public final class SparkMaster {
  private SparkMaster() {}

  /** The kinds of master URL Spark 4.2 knows. */
  enum Kind {
    LOCAL,
    STANDALONE,
    YARN,
    KUBERNETES,
    OTHER
  }

  static Kind kind(String master) {
    if (master.equals("local") || master.startsWith("local[") || master.startsWith("local-")) {
      return Kind.LOCAL;
    }
    if (master.startsWith("spark://")) {
      return Kind.STANDALONE;
    }
    if (master.equals("yarn")) {
      return Kind.YARN;
    }
    if (master.startsWith("k8s://")) {
      return Kind.KUBERNETES;
    }
    return Kind.OTHER;
  }

  /** How long {@link #requireReachable} waits for each master host. */
  static final int CONNECT_TIMEOUT_MS = 5000;

  /**
   * For a standalone master ({@code spark://host[:port][,host2[:port2]]}): fails within a few
   * seconds, naming each host and why, when no listed master accepts a TCP connection. Spark itself
   * retries for about a minute and then reports a missing broadcast block.
   */
  static void requireReachable(String master) {
    if (kind(master) != Kind.STANDALONE) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (String hp : master.substring("spark://".length()).split(",")) {
      String host = hp;
      int port = 7077;
      int c = hp.lastIndexOf(':');
      if (c >= 0) {
        host = hp.substring(0, c);
        try {
          port = Integer.parseInt(hp.substring(c + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "--master " + master + ": '" + hp.substring(c + 1) + "' is not a port number", e);
        }
      }
      try (Socket sock = new Socket()) {
        sock.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        return;
      } catch (UnknownHostException e) {
        problems.add(host + ": unknown host");
      } catch (IOException e) {
        problems.add(host + ":" + port + ": " + e.getMessage());
      }
    }
    throw new IllegalStateException(
        "--master "
            + master
            + ": no Spark master accepts connections ("
            + String.join("; ", problems)
            + "). Start it (sbin/start-master.sh) or check the host and port (default 7077)");
  }

  static boolean isLocal(String master) {
    return kind(master) == Kind.LOCAL;
  }

  /** The class Spark's ServiceLoader finds for the master's cluster manager, or null. */
  static String clusterManagerClass(Kind k) {
    return switch (k) {
      case YARN -> "org.apache.spark.scheduler.cluster.YarnClusterManager";
      case KUBERNETES -> "org.apache.spark.scheduler.cluster.k8s.KubernetesClusterManager";
      default -> null;
    };
  }

  /**
   * Fails with the spark-submit line to use when {@code master} is YARN or Kubernetes and this JVM
   * has no cluster manager for it ({@code ./evalh} runs on the Spark jars Maven resolved, which
   * hold neither spark-yarn nor spark-kubernetes).
   */
  static void requireClusterManager(String master, ClassLoader loader) {
    requireClusterManager(master, loader, Command.DECONTAM);
  }

  /**
   * The evalh command a Spark application runs, for the spark-submit line of {@link #submitHint}.
   *
   * @param arguments how the command line starts ({@code decontam --engine spark})
   * @param section the README section that documents it
   */
  public record Command(String arguments, String section) {
    public static final Command DECONTAM =
        new Command("decontam --engine spark", "Decontamination on a Spark cluster");
  }

  /**
   * Fails with how to get Spark when this JVM has none ({@code ./evalh} or spark-submit): the evalh
   * jar does not bundle it. Needs no Spark class itself, so a command's engine can call it first.
   */
  public static void requireSpark(Command command, ClassLoader loader) {
    try {
      Class.forName("org.apache.spark.sql.SparkSession", false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "--engine spark needs Apache Spark 4.x on the class path, and this JVM has none: run"
              + " through ./evalh (it adds Spark's jars from the Maven build), or submit"
              + " cli/target/evalh-spark-job.jar with spark-submit --class evalh.cli.Main (see"
              + " README, '"
              + command.section()
              + "')",
          e);
    }
  }

  static void requireClusterManager(String master, ClassLoader loader, Command command) {
    Kind k = kind(master);
    String cls = clusterManagerClass(k);
    if (cls == null) {
      return;
    }
    try {
      Class.forName(cls, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(submitHint(master, k, command), e);
    }
  }

  static String submitHint(String master, Kind k, Command command) {
    String module = k == Kind.YARN ? "spark-yarn" : "spark-kubernetes";
    String extra =
        k == Kind.YARN
            ? "  (HADOOP_CONF_DIR or YARN_CONF_DIR must point at the cluster's configuration)\n"
            : "  --conf spark.kubernetes.container.image=<Spark 4.2 image on Java 25>"
                + " --conf spark.driver.host=<this machine's address, reachable from the pods>\n";
    return String.format(
        Locale.ROOT,
        "--master %s: this JVM has no %s cluster manager (%s is not on the class path: ./evalh"
            + " runs on the Spark jars Maven resolved, which have no YARN or Kubernetes support)."
            + " Submit the job jar from a Spark 4.2 distribution instead, in client mode:%n"
            + "  $SPARK_HOME/bin/spark-submit --master %s --deploy-mode client --class"
            + " evalh.cli.Main %s %s ...%n%s"
            + "(README, '%s')",
        master,
        k == Kind.YARN ? "YARN" : "Kubernetes",
        module,
        master,
        jobJarOrPlaceholder(),
        command.arguments(),
        extra,
        command.section());
  }

  private static String jobJarOrPlaceholder() {
    Path p = ownJar();
    return p != null ? p.toString() : "cli/target/evalh-spark-job.jar";
  }

  /**
   * The jar this class was loaded from (the job jar under {@code ./evalh} or spark-submit), or null
   * when it was loaded from a directory (a build's classes) or its location is unknown.
   */
  static Path ownJar() {
    CodeSource cs = SparkMaster.class.getProtectionDomain().getCodeSource();
    if (cs == null || cs.getLocation() == null) {
      return null;
    }
    try {
      Path p = Path.of(cs.getLocation().toURI());
      return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar") ? p : null;
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Refuses a plain (local) {@code --shards-out} path with a cluster master: every executor would
   * write its shards to its own disk and the driver the manifest to its own, naming shards that are
   * not next to it. A URI ({@code hdfs://}, {@code s3a://}, or {@code file:///} for a file system
   * mounted at the same path everywhere) says the location is shared.
   */
  static void requireSharedShardsOut(String master, String out) {
    if (!isLocal(master) && !CorpusFiles.hasScheme(out)) {
      throw new IllegalArgumentException(
          "--shards-out "
              + out
              + " is a path on this machine, but with --master "
              + master
              + " every executor would write its shards to its own disk and the manifest would"
              + " name shards that are not here: give a URI every executor and this machine can"
              + " reach (hdfs://..., s3a://..., or file:///... on a file system mounted at the"
              + " same path everywhere)");
    }
  }

  /**
   * The value {@code spark.jars} must get for a non-local master when nothing set it (spark-submit
   * sets it to the application jar): this class's own jar. A non-local master without a jar to ship
   * is an error: the executors would not find evalh's classes.
   */
  static String jarsToShip(String master, Path ownJar) {
    if (isLocal(master)) {
      return null;
    }
    if (ownJar == null) {
      throw new IllegalStateException(
          "--master "
              + master
              + ": the executors need evalh's classes, and this JVM did not load them from a jar"
              + " to ship: run through ./evalh (it uses cli/target/evalh-spark-job.jar), or"
              + " spark-submit that jar, or set spark.jars to it");
    }
    return ownJar.toAbsolutePath().toString();
  }
}
