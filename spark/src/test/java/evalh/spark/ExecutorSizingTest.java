package evalh.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Issue 16 items 2, 3 and 9: task slots from the running application, and each index task's Lucene
 * buffer from the executor heap and the tasks that share it.
 */
class ExecutorSizingTest {
  @Test
  void localMasterIsOneExecutorWithItsThreads() {
    ExecutorSizing s = ExecutorSizing.await(SparkTestSession.get().sparkContext());
    assertThat(s.executors()).isEqualTo(1);
    assertThat(s.slots()).isEqualTo(2); // local[2]
    assertThat(s.slotsPerExecutor()).isEqualTo(2);
    assertThat(s.executorHeapMb()).isEqualTo(Runtime.getRuntime().maxMemory() >> 20);
  }

  @Test
  void engineCoresAreTheTaskSlots() {
    SparkTestSession.get();
    try (SparkEngine e = new SparkEngine(SparkTestSession.get(), 0)) {
      assertThat(e.cores()).isEqualTo(2);
    }
  }

  @Test
  void dynamicAllocationSizesFromTheConfiguredCeiling() {
    org.apache.spark.SparkConf c =
        new org.apache.spark.SparkConf(false)
            .set("spark.dynamicAllocation.maxExecutors", "25")
            .set("spark.executor.cores", "4");
    ExecutorSizing s = ExecutorSizing.configured(c, 6144, 1);
    assertThat(s.executors()).isEqualTo(25);
    assertThat(s.slots()).isEqualTo(100);
    assertThat(s.slotsPerExecutor()).isEqualTo(4);
    // no ceiling, no cores: one executor with one core, rather than waiting forever
    ExecutorSizing none = ExecutorSizing.configured(new org.apache.spark.SparkConf(false), 1024, 1);
    assertThat(none.slots()).isEqualTo(1);
    assertThat(none.slotsPerExecutor()).isEqualTo(1);
  }

  @Test
  void bufferIsHalfTheUserMemoryPerTaskCappedAtTheRequest() {
    // standalone defaults: one executor with the worker's 2 cores and a 1 GB heap:
    // user memory (1024 - 300) * (1 - 0.6) = 289.6 MB, half of it over 2 tasks = 72.4 MB
    ExecutorSizing s = new ExecutorSizing(1, 2, 2, 1024);
    assertThat(s.luceneBufferMb(256, 0.6)).isEqualTo(72.0);
    assertThat(s.luceneBufferMb(32, 0.6)).isEqualTo(32.0);
    // 8 GB and 4 tasks: (8192 - 300) * 0.4 / 2 / 4 = 394.6 MB, so the requested 256 MB holds
    assertThat(new ExecutorSizing(10, 40, 4, 8192).luceneBufferMb(256, 0.6)).isEqualTo(256.0);
  }

  @Test
  void tooSmallAnExecutorFailsUpFrontNamingTheSettings() {
    ExecutorSizing s = new ExecutorSizing(1, 8, 8, 512);
    assertThatThrownBy(() -> s.luceneBufferMb(256, 0.6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("512 MB with 8 task(s) per executor")
        .hasMessageContaining("spark.executor.memory to 940m or more")
        .hasMessageContaining("spark.executor.cores");
    // and the heap it names is enough
    assertThat(new ExecutorSizing(1, 8, 8, 940).luceneBufferMb(256, 0.6)).isEqualTo(16.0);
  }
}
