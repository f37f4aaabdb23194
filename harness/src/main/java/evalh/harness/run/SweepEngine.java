package evalh.harness.run;

import java.io.PrintWriter;
import java.util.List;

/**
 * Service-provider entry ({@code META-INF/services/evalh.harness.run.SweepEngine}) of {@code evalh
 * run --engine NAME}: runs a sweep's units (one per checkpoint) somewhere else than this JVM, each
 * with {@link SweepUnits#score}. Implementations must load without their engine's libraries on the
 * class path (harness does not depend on them) and fail in {@link #run} with a message that says
 * how to get them.
 */
public interface SweepEngine {
  /** The {@code --engine} name. */
  String name();

  /**
   * The store for an {@code --output} URI whose scheme is not {@code file:} (scoring-spark: {@code
   * hdfs://}), or null when this engine cannot write there (the run is refused). It is serialized
   * into the job and used by every unit, so it must be {@link java.io.Serializable} in full.
   */
  default OutputStore store(java.net.URI output) {
    return null;
  }

  /**
   * Scores every unit of {@code job}, each once to completion (a unit whose worker died is run
   * again: {@link SweepUnits#score} is safe to repeat).
   *
   * @param master where to run ({@code --master}), or null for the engine's default
   * @param log progress and diagnostics
   * @return one outcome per unit, in the job's order
   */
  List<SweepUnits.Outcome> run(String master, SweepUnits.Job job, PrintWriter log);
}
