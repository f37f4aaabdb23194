package evalh.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A stand-in python3 for libtorch discovery tests. */
public final class FakePython {
  private FakePython() {}

  /**
   * Writes a shell script named python3 with {@code body} into {@code tmp}/bin and returns that
   * folder, for a PATH holding only it.
   */
  public static Path in(Path tmp, String body) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("bin"));
    Path py = dir.resolve("python3");
    Files.writeString(py, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(py, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }
}
