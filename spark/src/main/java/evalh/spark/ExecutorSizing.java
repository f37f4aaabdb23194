package evalh.spark;

import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/**
 * What the executors of a running application offer, read once they have registered: task slots
 * (the executors' cores, for index mode's shard count and bench-decontam's per-core rates), task
 * slots per executor and executor heap (for each index task's Lucene buffer). Issue 16: index mode
 * used to take {@code defaultParallelism} before any executor had registered (2 shards on any
 * cluster), and a fixed 256 MB Lucene buffer per task whatever the heap.
 *
 * @param executors executors registered (the driver in local mode)
 * @param slots task slots over all executors (cores / {@code spark.task.cpus})
 * @param slotsPerExecutor task slots of one executor (the most on any executor)
 * @param executorHeapMb the heap of one executor JVM in MB
 */
record ExecutorSizing(int executors, int slots, int slotsPerExecutor, long executorHeapMb) {

  /** Spark's reserved system memory, outside its unified and user memory (MB). */
  static final long RESERVED_MB = 300;

  /** Below this a Lucene segment holds too few postings to be worth a task (MB). */
  static final double MIN_BUFFER_MB = 16;

  /**
   * Waits until the executors the application was given have registered (local mode: at once), then
   * measures them. Waits for {@code spark.executor.instances} executors when that is set, else
   * until the executor count has been stable for two seconds after the first one; at most {@code
   * spark.scheduler.maxRegisteredResourcesWaitingTime} (30 s by default).
   */
  static ExecutorSizing await(SparkContext sc) {
    SparkConf conf = sc.getConf();
    int taskCpus = conf.getInt("spark.task.cpus", 1);
    if (SparkMaster.isLocal(sc.master())) {
      int slots = Math.max(1, sc.defaultParallelism() / taskCpus);
      return new ExecutorSizing(1, slots, slots, Runtime.getRuntime().maxMemory() >> 20);
    }
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      // executors come when tasks wait for them: size from the configured ceiling instead
      return configured(conf, sc.executorMemory(), taskCpus);
    }
    long deadline =
        System.nanoTime()
            + conf.getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s")
                * 1_000_000L;
    int wanted = conf.getInt("spark.executor.instances", 0);
    int seen = 0;
    long stableSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      int n = executorCount(sc);
      if (n != seen) {
        seen = n;
        stableSince = System.nanoTime();
      }
      if (n > 0 && (wanted > 0 ? n >= wanted : System.nanoTime() - stableSince > 2_000_000_000L)) {
        break;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (seen == 0) {
      throw new IllegalStateException(
          "no executor registered with "
              + sc.master()
              + " within spark.scheduler.maxRegisteredResourcesWaitingTime: is a worker running,"
              + " with enough free cores and memory for spark.executor.cores and"
              + " spark.executor.memory?");
    }
    // defaultParallelism is the executors' total cores on a cluster (unless configured)
    int cores = sc.defaultParallelism();
    int perExecutorCores =
        conf.contains("spark.executor.cores")
            ? conf.getInt("spark.executor.cores", 1)
            : Math.max(1, (cores + seen - 1) / seen);
    return new ExecutorSizing(
        seen,
        Math.max(1, cores / taskCpus),
        Math.max(1, perExecutorCores / taskCpus),
        sc.executorMemory());
  }

  /**
   * With dynamic allocation: {@code spark.dynamicAllocation.maxExecutors} × {@code
   * spark.executor.cores} task slots (at least one executor with one core when either is unset),
   * since waiting for executors that are only requested once tasks are pending would never end.
   */
  static ExecutorSizing configured(SparkConf conf, long heapMb, int taskCpus) {
    int cores = Math.max(1, conf.getInt("spark.executor.cores", 1));
    int max = conf.getInt("spark.dynamicAllocation.maxExecutors", Integer.MAX_VALUE);
    int executors = max == Integer.MAX_VALUE ? 1 : Math.max(1, max);
    int perExecutor = Math.max(1, cores / taskCpus);
    long slots = (long) executors * perExecutor;
    return new ExecutorSizing(
        executors, (int) Math.min(Integer.MAX_VALUE, slots), perExecutor, heapMb);
  }

  /** Executors registered, not counting the driver. */
  private static int executorCount(SparkContext sc) {
    return Math.max(0, sc.getExecutorMemoryStatus().size() - 1);
  }

  /**
   * Memory one index task may give Lucene's buffer: half of Spark's user memory (the heap less 300
   * MB reserved, less {@code spark.memory.fraction}) shared by the executor's task slots, capped at
   * {@code requested}. Fails when that is under {@value #MIN_BUFFER_MB} MB, naming the settings
   * that would make it fit.
   */
  double luceneBufferMb(double requested, double memoryFraction) {
    double user = (executorHeapMb - RESERVED_MB) * (1 - memoryFraction);
    double perTask = 0.5 * user / slotsPerExecutor;
    if (perTask < MIN_BUFFER_MB) {
      long needHeap =
          (long)
              Math.ceil(RESERVED_MB + MIN_BUFFER_MB * 2 * slotsPerExecutor / (1 - memoryFraction));
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "index mode: an executor heap of %d MB with %d task(s) per executor leaves %.0f MB"
                  + " of Lucene buffer per task (at least %.0f MB needed): set"
                  + " spark.executor.memory to %dm or more, or fewer spark.executor.cores",
              executorHeapMb,
              slotsPerExecutor,
              perTask,
              MIN_BUFFER_MB,
              needHeap));
    }
    return Math.floor(Math.min(requested, perTask));
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "%d executor(s), %d task slot(s), %d per executor, %d MB heap per executor",
        executors,
        slots,
        slotsPerExecutor,
        executorHeapMb);
  }
}
