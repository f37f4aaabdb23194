package evalh.decontam.engine;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds a {@link DistributedEngineFactory} by name. */
public final class DistributedEngines {
  private DistributedEngines() {}

  /** Starts the engine called {@code name}, or explains why it cannot. */
  public static DistributedEngine start(
      String name, String master, int partitions, PrintWriter log) {
    List<String> known = new ArrayList<>();
    for (DistributedEngineFactory f : ServiceLoader.load(DistributedEngineFactory.class)) {
      if (f.name().equals(name)) {
        return f.start(master, partitions, log);
      }
      known.add(f.name());
    }
    throw new IllegalArgumentException(
        "no decontamination engine '"
            + name
            + "' in this build (available: local"
            + (known.isEmpty() ? "" : ", " + String.join(", ", known))
            + ")");
  }
}
