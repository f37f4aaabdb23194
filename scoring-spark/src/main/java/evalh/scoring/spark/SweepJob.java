package evalh.scoring.spark;

import evalh.harness.run.SweepUnits;
import evalh.spark.JavaSerialized;
import evalh.spark.SparkSessions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The sweep as one Spark job: one partition, hence one task, per checkpoint, in step order. A task
 * runs {@link SweepUnits#score} for its checkpoint on the executor (which loads the checkpoint once
 * and scores all the sweep's tasks with it, writing into the shared output exactly as the local
 * sweep) and returns the outcome; Spark retries a task whose executor died, and the retry resumes
 * from the checkpoint's request cache.
 */
final class SweepJob {
  private SweepJob() {}

  static List<SweepUnits.Outcome> run(String master, SweepUnits.Job sweep, PrintWriter log) {
    SparkSessions.Started s =
        SparkSessions.start(master, "evalh run", SparkSweepEngine.RUN, gpuPerTask(new SparkConf()));
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(s.session().sparkContext());
      SweepUnits.Job job = BatchBudget.resolve(jsc, sweep, log);
      int n = job.units().size();
      List<Integer> units = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        units.add(i);
      }
      log.printf(
          Locale.ROOT,
          "spark run: %d checkpoint(s) as %d task(s) on %s (spark %s)%n",
          n,
          n,
          jsc.master(),
          jsc.version());
      log.flush();
      long t0 = System.nanoTime();
      jsc.setJobDescription("evalh run: " + n + " checkpoint(s)");
      List<JavaSerialized<SweepUnits.Outcome>> r =
          jsc.parallelize(units, Math.max(1, n))
              .map(
                  i ->
                      new JavaSerialized<>(
                          SweepUnits.score(
                              job, i, device(job.options().engine().device(), assignedGpus()))))
              .collect();
      log.printf(
          Locale.ROOT, "spark run: %d task(s) in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
      log.flush();
      List<SweepUnits.Outcome> out = new ArrayList<>(n);
      for (JavaSerialized<SweepUnits.Outcome> o : r) {
        out.add(o.value());
      }
      return out;
    } finally {
      if (s.owned()) {
        s.session().stop();
      }
    }
  }

  /**
   * One GPU per task when the executors have GPUs ({@code spark.executor.resource.gpu.amount}) and
   * nothing said how many a task takes: a task scores one checkpoint on one GPU.
   */
  static Map<String, String> gpuPerTask(SparkConf given) {
    return given.contains("spark.executor.resource.gpu.amount")
            && !given.contains("spark.task.resource.gpu.amount")
        ? Map.of("spark.task.resource.gpu.amount", "1")
        : Map.of();
  }

  /** The GPU addresses Spark assigned the running task ({@code spark.task.resource.gpu.amount}). */
  private static Map<String, String[]> assignedGpus() {
    Map<String, String[]> out = new LinkedHashMap<>();
    TaskContext tc = TaskContext.get();
    if (tc != null) {
      for (Map.Entry<String, ResourceInformation> e : tc.resourcesJMap().entrySet()) {
        out.put(e.getKey(), e.getValue().addresses());
      }
    }
    return out;
  }

  /**
   * The device a task uses: {@code cuda:<address>} of the first GPU Spark assigned it, unless the
   * sweep asked for the CPU; null (the sweep's {@code --device}) when Spark assigned no GPU.
   *
   * @param sweepDevice the sweep's {@code --device}
   * @param resources the task's resources by name ({@code gpu}) with their addresses
   */
  static String device(String sweepDevice, Map<String, String[]> resources) {
    String[] gpus = resources.get("gpu");
    if (gpus == null || gpus.length == 0) {
      return null;
    }
    if (sweepDevice != null && sweepDevice.trim().equalsIgnoreCase("cpu")) {
      return null;
    }
    return "cuda:" + gpus[0].trim();
  }
}
