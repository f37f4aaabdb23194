package evalh.reporting.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's headless Chromium for the browser test. */
final class Chromium {
  private static final long TIMEOUT_SECONDS = 120;
  private final Path binary;
  private final Path workDir;

  private Chromium(Path binary, Path workDir) {
    this.binary = binary;
    this.workDir = workDir;
  }

  /**
   * The Chromium binary ($EVALH_CHROMIUM, else chromium / chromium-browser on the PATH).
   *
   * @throws AssertionError telling how to install it when there is none: the browser test must not
   *     be skipped silently
   */
  static Chromium locate(Path workDir) {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("EVALH_CHROMIUM");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        candidates.add(Path.of(dir, name));
      }
    }
    for (Path c : candidates) {
      if (Files.isExecutable(c)) {
        return new Chromium(c, workDir);
      }
    }
    throw new AssertionError(
        "headless Chromium is required by this test and was not found on the PATH (or in"
            + " $EVALH_CHROMIUM). Install it: apt-get update && apt-get install -y chromium");
  }

  /** The DOM after the page loaded and its inline scripts ran. */
  String dumpDom(Path html) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", html.toUri().toString()), "dump-dom");
  }

  /** Renders {@code html} to a PNG of the given window size. */
  void screenshot(Path html, Path png, int width, int height)
      throws IOException, InterruptedException {
    Files.createDirectories(png.getParent());
    Files.deleteIfExists(png);
    run(
        List.of(
            "--hide-scrollbars",
            "--window-size=" + width + "," + height,
            "--screenshot=" + png.toAbsolutePath(),
            html.toUri().toString()),
        "screenshot");
  }

  private String run(List<String> args, String what) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(workDir, "chromium-profile");
    Path stderr = workDir.resolve("chromium-" + what + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    // the flags this machine kind documents for headless Chromium as root without network
    cmd.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + profile));
    cmd.addAll(args);
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium " + what + " timed out; log: " + stderr);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "chromium " + what + " exited " + p.exitValue() + ": " + Files.readString(stderr));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
