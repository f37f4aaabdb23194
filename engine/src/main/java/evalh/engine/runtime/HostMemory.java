package evalh.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory of this host that a new allocation can get. */
public final class HostMemory {
  private HostMemory() {}

  /**
   * Linux's {@code MemAvailable} (free memory plus reclaimable page cache), else the JVM's idea of
   * free physical memory.
   */
  public static long availableBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getFreeMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }
}
