package evalh.scoring.spark;

import evalh.engine.checkpoint.Checkpoint;
import evalh.engine.runtime.HostMemory;
import evalh.engine.scoring.LoglikelihoodEngine;
import evalh.harness.run.SweepUnits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code --batch-tokens auto} on a cluster, resolved once on the driver. A float sum can depend on
 * what else is in its batch, so units that sized their budgets from their own executors' memory
 * could write other last bits than each other and than the local sweep; one number for every unit
 * makes them identical by construction, and equal to a local sweep with {@code --batch-tokens N}.
 *
 * <p>The number is the engine's own rule ({@link LoglikelihoodEngine#autoBatchTokens}) for the
 * sweep's largest model (the smallest budget over its checkpoints), in float32 unless the sweep
 * asked for a 16-bit dtype, on the least free host memory that one probe task per task slot finds
 * on the executors. On GPU executors the driver cannot see the GPUs' memory: there each unit keeps
 * sizing its own budget, and a warning says that its last bits may then differ.
 */
final class BatchBudget {
  private BatchBudget() {}

  static SweepUnits.Job resolve(JavaSparkContext jsc, SweepUnits.Job job, PrintWriter log) {
    if (!job.autoBatchTokens()) {
      return job;
    }
    SparkConf conf = jsc.getConf();
    String device = job.options().engine().device();
    if (conf.contains("spark.executor.resource.gpu.amount")
        && (device == null || !device.trim().equalsIgnoreCase("cpu"))) {
      log.println(
          "spark run: warning: --batch-tokens auto on GPU executors: each task sizes its budget"
              + " from its own GPU's free memory, so scores may differ from a local sweep's in the"
              + " last bits; give --batch-tokens N for byte-identical results");
      log.flush();
      return job;
    }
    int slots = Math.max(1, jsc.defaultParallelism());
    List<Integer> probes = new ArrayList<>();
    for (int i = 0; i < slots; i++) {
      probes.add(i);
    }
    jsc.setJobDescription("evalh run: free memory of the executors (--batch-tokens auto)");
    long free =
        jsc.parallelize(probes, slots).map(i -> HostMemory.availableBytes()).collect().stream()
            .mapToLong(Long::longValue)
            .min()
            .orElseThrow();
    String dtype = job.options().engine().dtype();
    String d = dtype == null ? "" : dtype.trim().toLowerCase(Locale.ROOT);
    String sized = d.equals("bfloat16") || d.equals("float16") ? d : "float32";
    int n = budget(job, free, sized);
    if (n < 1) {
      return job; // no checkpoint can be read: every unit fails, each with its reason
    }
    log.printf(
        Locale.ROOT,
        "spark run: --batch-tokens auto resolved once on the driver to %d tokens (the engine's"
            + " rule for the sweep's largest model in %s on %d MB of free host memory, the least"
            + " of %d probe task(s)); every unit batches with it, as a local sweep with"
            + " --batch-tokens %d%n",
        n,
        sized,
        free >> 20,
        slots,
        n);
    log.flush();
    return job.withBatchTokens(n);
  }

  /**
   * The smallest of the engine's auto budgets over the job's checkpoints; one whose config cannot
   * be read is left out (its unit fails by itself, with the reason); -1 if none can be read.
   */
  static int budget(SweepUnits.Job job, long freeBytes, String dtype) {
    int n = Integer.MAX_VALUE;
    for (SweepUnits.Unit u : job.units()) {
      try (Checkpoint c = Checkpoint.open(Path.of(u.checkpoint()))) {
        n = Math.min(n, LoglikelihoodEngine.autoBatchTokens(c.config(), freeBytes, dtype));
      } catch (RuntimeException e) {
        // reported by the unit itself
      }
    }
    return n == Integer.MAX_VALUE ? -1 : n;
  }
}
