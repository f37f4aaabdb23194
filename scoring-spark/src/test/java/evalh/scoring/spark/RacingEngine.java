package evalh.scoring.spark;

import evalh.harness.run.OutputStore;
import evalh.harness.run.SweepEngine;
import evalh.harness.run.SweepUnits;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A test engine ({@code --engine race-test}) that runs every unit as two attempts at once, as Spark
 * does with a speculative copy of a task: both score the unit in this JVM ({@link
 * SweepUnits#score}) into the same folder of the same (HDFS) output. It returns the first attempt's
 * outcome and keeps both in {@link #ATTEMPTS}.
 */
public final class RacingEngine implements SweepEngine {
  /** Every attempt's outcome, in unit order, two per unit. */
  static final List<SweepUnits.Outcome> ATTEMPTS = new CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "race-test";
  }

  @Override
  public OutputStore store(URI output) {
    return "hdfs".equals(output.getScheme()) ? HadoopStores.of(output) : null;
  }

  @Override
  public List<SweepUnits.Outcome> run(String master, SweepUnits.Job job, PrintWriter log) {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<SweepUnits.Outcome> first = new ArrayList<>();
      for (int i = 0; i < job.units().size(); i++) {
        int unit = i;
        Future<SweepUnits.Outcome> a = pool.submit(() -> SweepUnits.score(job, unit, null));
        Future<SweepUnits.Outcome> b = pool.submit(() -> SweepUnits.score(job, unit, null));
        SweepUnits.Outcome oa = a.get();
        ATTEMPTS.add(oa);
        ATTEMPTS.add(b.get());
        first.add(oa);
      }
      return first;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }
}
