package evalh.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Memory of this host that a new allocation can get. */
public final class HostMemory {
  private HostMemory() {}

  /**
   * Linux's {@code MemAvailable} (free memory plus reclaimable page cache), else the JVM's idea of
   * free physical memory.
   */
  public static long availableBytes() {
    try {
      long b = memAvailable(Files.readAllLines(Path.of("/proc/meminfo")));
      if (b >= 0) {
        return b;
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

  /** {@code MemAvailable} of these /proc/meminfo lines in bytes, or -1 when there is none. */
  static long memAvailable(List<String> meminfo) {
    for (String line : meminfo) {
      if (line.startsWith("MemAvailable:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }
}
