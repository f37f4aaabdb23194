package evalh.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a cluster master gets the job jar in {@code spark.jars}; yarn and k8s:// without
 * Spark's cluster-manager module give the spark-submit line instead of "Could not parse Master
 * URL"; a plain --shards-out with a cluster master is refused (item 5).
 */
class SparkMasterTest {
  @Test
  void kinds() {
    assertThat(SparkMaster.kind("local")).isEqualTo(SparkMaster.Kind.LOCAL);
    assertThat(SparkMaster.kind("local[2]")).isEqualTo(SparkMaster.Kind.LOCAL);
    assertThat(SparkMaster.kind("local[*,3]")).isEqualTo(SparkMaster.Kind.LOCAL);
    assertThat(SparkMaster.kind("local-cluster[2,1,1024]")).isEqualTo(SparkMaster.Kind.LOCAL);
    assertThat(SparkMaster.kind("spark://127.0.0.1:7077")).isEqualTo(SparkMaster.Kind.STANDALONE);
    assertThat(SparkMaster.kind("yarn")).isEqualTo(SparkMaster.Kind.YARN);
    assertThat(SparkMaster.kind("k8s://https://h:6443")).isEqualTo(SparkMaster.Kind.KUBERNETES);
    assertThat(SparkMaster.kind("mesos://h:5050")).isEqualTo(SparkMaster.Kind.OTHER);
  }

  @Test
  void clusterMasterShipsTheJobJar() {
    Path jar = Path.of("/opt/evalh/evalh-spark-job.jar");
    assertThat(SparkMaster.jarsToShip("spark://127.0.0.1:7077", jar)).isEqualTo(jar.toString());
    assertThat(SparkMaster.jarsToShip("local[2]", jar)).isNull();
    // loaded from a build's classes directory: nothing to ship, and a clear error for a cluster
    assertThatThrownBy(() -> SparkMaster.jarsToShip("spark://127.0.0.1:7077", null))
        .hasMessageContaining("evalh-spark-job.jar")
        .hasMessageContaining("spark.jars");
  }

  @Test
  void ownJarIsNullForAClassesDirectory() {
    // the tests load this module from target/classes
    assertThat(SparkMaster.ownJar()).isNull();
  }

  @Test
  void yarnAndKubernetesWithoutTheirModulesSayHowToSubmit() {
    ClassLoader cl = getClass().getClassLoader();
    assertThatThrownBy(() -> SparkMaster.requireClusterManager("yarn", cl))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spark-yarn")
        .hasMessageContaining(
            "spark-submit --master yarn --deploy-mode client --class evalh.cli.Main")
        .hasMessageContaining("HADOOP_CONF_DIR");
    assertThatThrownBy(() -> SparkMaster.requireClusterManager("k8s://https://h:6443", cl))
        .hasMessageContaining("spark-kubernetes")
        .hasMessageContaining("spark-submit --master k8s://https://h:6443 --deploy-mode client")
        .hasMessageContaining("spark.kubernetes.container.image");
    // local and standalone need no cluster-manager module
    SparkMaster.requireClusterManager("local[2]", cl);
    SparkMaster.requireClusterManager("spark://127.0.0.1:7077", cl);
  }

  @Test
  void plainShardsOutIsRefusedForAClusterMaster() {
    assertThatThrownBy(
            () -> SparkMaster.requireSharedShardsOut("spark://127.0.0.1:7077", "indexes/x-shards"))
        .hasMessageContaining("--shards-out indexes/x-shards is a path on this machine")
        .hasMessageContaining("hdfs://");
    SparkMaster.requireSharedShardsOut("spark://127.0.0.1:7077", "hdfs://nn/x-shards");
    SparkMaster.requireSharedShardsOut("spark://127.0.0.1:7077", "file:///mnt/shared/x-shards");
    SparkMaster.requireSharedShardsOut("local[2]", "indexes/x-shards");
  }

  /**
   * B11: --master spark://127.0.0.1:PORT with nothing listening took 64 s to fail with "Block
   * broadcast_0_piece0 does not exist"; an unknown host gave about 270 lines of stack.
   */
  @Test
  void anUnreachableStandaloneMasterIsNamedBeforeConnecting() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String master = "spark://127.0.0.1:" + port;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SparkEngine.start(master, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("--master " + master + ": no Spark master accepts connections")
        .hasMessageContaining("127.0.0.1:" + port + ": Connection refused");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SparkEngine.start("spark://no-such-host.invalid:7077", 0))
        .hasMessageContaining("no-such-host.invalid: unknown host");
  }
}
