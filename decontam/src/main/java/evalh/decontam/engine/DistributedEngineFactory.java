package evalh.decontam.engine;

import java.io.PrintWriter;

/**
 * Service-provider entry ({@code META-INF/services}) of a {@link DistributedEngine}.
 * Implementations must load without the engine's own libraries on the class path (so {@code evalh}
 * lists engines it cannot start) and fail in {@link #start} with a clear message instead.
 */
public interface DistributedEngineFactory {
  /** The {@code --engine} name. */
  String name();

  /**
   * Starts the engine.
   *
   * @param master cluster URL ({@code local[2]}, {@code spark://…}, {@code yarn}, {@code k8s://…}),
   *     or null to take it from the environment (e.g. {@code spark-submit --master})
   * @param partitions corpus partitions (0: one per file)
   */
  DistributedEngine start(String master, int partitions, PrintWriter log);
}
