package evalh.engine.runtime;

import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the libtorch evalh runs on; the first match wins:
 *
 * <ol>
 *   <li>{@code --torch DIR} or {@code EVALH_TORCH}: a torch package directory (holding {@code
 *       lib/libtorch.so}) or a libtorch {@code lib/} folder; {@code bundled} picks 3;
 *   <li>the {@code torch} package of {@code python3} on the PATH, if it imports and is at least
 *       2.10 (an older one is skipped with a note; no python3 or no torch package is skipped
 *       silently; a torch package that fails to import is an error);
 *   <li>the CPU build from Maven Central ({@code org.bytedeco:pytorch} and the OpenBLAS it links),
 *       carried zstd-compressed in the jar and decompressed once into {@code ~/.cache/evalh/} under
 *       a stamp of versions, sizes and SHA-256s.
 * </ol>
 */
public final class LibTorchLocator {
  /** The value of {@code --torch} / {@code EVALH_TORCH} that selects the bundled build. */
  public static final String BUNDLED = "bundled";

  /**
   * The bundled build's libraries, zstd-compressed by the build (engine/src/build/java/
   * PackNatives.java) beside {@code natives.list}: {@code sha256 size name} of each uncompressed
   * library, lines starting with {@code #} aside.
   */
  private static final String NATIVES = "natives/";

  private LibTorchLocator() {}

  /**
   * Resolves the libtorch to use.
   *
   * @param torchOption {@code --torch} (null when not given)
   * @param env the environment ({@code EVALH_TORCH}, {@code PATH})
   * @param cacheRoot where the bundled build is extracted (normally {@code ~/.cache/evalh})
   */
  public static LibTorchLocation locate(
      String torchOption, Map<String, String> env, Path cacheRoot) {
    return locate(torchOption, env, cacheRoot, false);
  }

  /**
   * Resolves the libtorch to use; for a CUDA device ({@code forCuda}), a clear error instead of the
   * bundled CPU-only build, before anything is extracted or loaded.
   *
   * @param torchOption {@code --torch} (null when not given)
   * @param env the environment ({@code EVALH_TORCH}, {@code PATH})
   * @param cacheRoot where the bundled build is extracted (normally {@code ~/.cache/evalh})
   * @param forCuda whether {@code --device cuda[:N]} was asked for
   */
  public static LibTorchLocation locate(
      String torchOption, Map<String, String> env, Path cacheRoot, boolean forCuda) {
    List<String> notes = new ArrayList<>();
    String explicit = torchOption;
    String how = "--torch " + torchOption;
    if (explicit == null || explicit.isBlank()) {
      explicit = env.get("EVALH_TORCH");
      how = "EVALH_TORCH=" + explicit;
    }
    if (explicit != null && !explicit.isBlank()) {
      if (explicit.trim().equals(BUNDLED)) {
        if (forCuda) {
          throw new TorchException(
              how
                  + ": the bundled libtorch (org.bytedeco:pytorch:"
                  + bundledVersions().getProperty("pytorch")
                  + ") is a CPU-only build: it has no CUDA. "
                  + CUDA_HINT);
        }
        return bundled(cacheRoot, notes);
      }
      return new LibTorchLocation(inDirectory(Path.of(explicit.trim()), how), how, notes);
    }
    List<String> looked = new ArrayList<>();
    LibTorchLocation py = python(env, notes, looked);
    if (py != null) {
      return py;
    }
    if (forCuda) {
      throw new TorchException(
          "--device cuda needs a CUDA build of PyTorch >= 2.10, and evalh found none: --torch is"
              + " not given, EVALH_TORCH is not set, "
              + String.join("; ", looked)
              + " (the bundled libtorch is CPU-only). "
              + CUDA_HINT);
    }
    return bundled(cacheRoot, notes);
  }

  /** How to point evalh at the CUDA PyTorch a machine already has. */
  static final String CUDA_HINT =
      "Point --torch DIR or EVALH_TORCH=DIR at a CUDA build of PyTorch >= 2.10 (its torch package"
          + " directory, python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))',"
          + " or a libtorch lib/ folder), or put the python3 that has it first on PATH.";

  /** The default cache root, {@code ~/.cache/evalh}. */
  public static Path defaultCacheRoot() {
    return Path.of(System.getProperty("user.home"), ".cache", "evalh");
  }

  /** {@code dir/lib/libtorch.so} (a torch package) or {@code dir/libtorch.so} (a lib folder). */
  static Path inDirectory(Path dir, String how) {
    if (!Files.isDirectory(dir)) {
      throw new TorchException(how + ": " + dir + " is not a directory");
    }
    for (Path p :
        List.of(
            dir.resolve("lib").resolve("libtorch.so"),
            dir.resolve("libtorch.so"),
            dir.resolve("lib").resolve("libtorch_cpu.so"),
            dir.resolve("libtorch_cpu.so"))) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
    }
    throw new TorchException(
        how
            + ": no libtorch in "
            + dir
            + " (expected lib/libtorch.so of a torch package directory, or libtorch.so in a"
            + " libtorch lib/ folder)");
  }

  // ---- python3 ------------------------------------------------------------------------------

  private static final String PROBE =
      String.join(
          "\n",
          "import importlib.util, sys",
          "if importlib.util.find_spec('torch') is None:",
          "    print('evalh-torch: none'); sys.exit(0)",
          "import os, torch",
          "print('evalh-torch: ' + torch.__version__ + '\\t' + os.path.dirname(torch.__file__))");

  private static LibTorchLocation python(
      Map<String, String> env, List<String> notes, List<String> looked) {
    Path python = onPath("python3", env.getOrDefault("PATH", ""));
    if (python == null) {
      looked.add("there is no python3 on PATH");
      return null;
    }
    List<String> out;
    String err;
    int code;
    try {
      ProcessBuilder pb = new ProcessBuilder(python.toString(), "-c", PROBE);
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      // both streams are drained while waiting: a python3 that writes more than a pipe holds
      // (warnings, a traceback) would otherwise block until the timeout
      Drain o = Drain.start(p.getInputStream());
      Drain e = Drain.start(p.getErrorStream());
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        notes.add("python3 (" + python + ") took over 120 s to import torch; not used");
        looked.add("python3 (" + python + ") took over 120 s to import torch");
        return null;
      }
      out = new String(o.bytes(), StandardCharsets.UTF_8).lines().toList();
      err = new String(e.bytes(), StandardCharsets.UTF_8).strip();
      code = p.exitValue();
    } catch (IOException e) {
      looked.add("python3 (" + python + ") does not run");
      return null; // not runnable: treated like no python3
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TorchException("interrupted while asking python3 for torch", e);
    }
    String line = out.stream().filter(l -> l.startsWith("evalh-torch: ")).findFirst().orElse(null);
    if (code != 0 || line == null) {
      String last = err.isEmpty() ? "exit code " + code : err.lines().reduce((a, b) -> b).get();
      throw new TorchException(
          "python3 ("
              + python
              + ") has a torch package that does not import: "
              + last
              + ". Repair that PyTorch, or choose a libtorch with --torch DIR / EVALH_TORCH=DIR"
              + " (a torch package or libtorch lib/ folder) or --torch "
              + BUNDLED
              + " (the CPU build evalh ships)");
    }
    String v = line.substring("evalh-torch: ".length());
    if (v.equals("none")) {
      looked.add("python3 (" + python + ") has no torch package");
      return null;
    }
    String[] parts = v.split("\t", 2);
    String version = parts[0];
    if (!atLeast(version, 2, 10)) {
      notes.add(
          "python3's torch "
              + version
              + " is older than 2.10 (evalh needs the stable C ABI of 2.10); using the"
              + " next libtorch");
      looked.add("python3 (" + python + ") has torch " + version + ", older than 2.10");
      return null;
    }
    Path dir = Path.of(parts.length > 1 ? parts[1] : "");
    return new LibTorchLocation(
        inDirectory(dir, "python3's torch " + version), "python3 torch " + version, notes);
  }

  /** Reads a child's stream to its end on a thread of its own. */
  private static final class Drain {
    private final Thread thread;
    private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    private volatile IOException failure;

    private Drain(InputStream in) {
      thread =
          Thread.ofPlatform()
              .daemon()
              .name("evalh-python3-drain")
              .unstarted(
                  () -> {
                    try (in) {
                      in.transferTo(buf);
                    } catch (IOException x) {
                      failure = x;
                    }
                  });
    }

    static Drain start(InputStream in) {
      Drain d = new Drain(in);
      d.thread.start();
      return d;
    }

    /** Everything read, once the child has exited (its end of the pipe is closed). */
    byte[] bytes() throws IOException, InterruptedException {
      thread.join();
      if (failure != null) {
        throw failure;
      }
      synchronized (buf) {
        return buf.toByteArray();
      }
    }
  }

  static boolean atLeast(String version, int major, int minor) {
    String[] p = version.split("[.+a-z]");
    try {
      int ma = Integer.parseInt(p[0]);
      int mi = p.length > 1 ? Integer.parseInt(p[1]) : 0;
      return ma > major || (ma == major && mi >= minor);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Path onPath(String exe, String path) {
    for (String d : path.split(java.io.File.pathSeparator)) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, exe);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  // ---- the bundled CPU build ----------------------------------------------------------------

  /** Versions of the bundled jars, written into the jar by the build. */
  static Properties bundledVersions() {
    Properties p = new Properties();
    try (InputStream in =
        LibTorchLocator.class.getResourceAsStream("bundled-libtorch.properties")) {
      if (in == null) {
        throw new TorchException("evalh was built without bundled-libtorch.properties");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  static LibTorchLocation bundled(Path cacheRoot, List<String> notes) {
    return bundled(cacheRoot, notes, LibTorchLocator.class);
  }

  /** {@link #bundled(Path, List)} with the compressed libraries read next to {@code resources}. */
  static LibTorchLocation bundled(Path cacheRoot, List<String> notes, Class<?> resources) {
    Properties v = bundledVersions();
    // "-v3": the libraries under their own names (an older evalh's folder, which holds renamed and
    // patched copies, is left alone rather than fought over)
    String name =
        "libtorch-" + v.getProperty("pytorch") + "-openblas-" + v.getProperty("openblas") + "-v3";
    Path dir = cacheRoot.resolve(name);
    String stamp = stamp(v);
    if (!valid(dir, stamp)) {
      extract(cacheRoot, dir, stamp, resources);
    }
    return new LibTorchLocation(
        dir.resolve("libtorch_cpu.so"),
        "bundled CPU build org.bytedeco:pytorch:" + v.getProperty("pytorch"),
        notes);
  }

  private static String stamp(Properties v) {
    return "org.bytedeco:pytorch:"
        + v.getProperty("pytorch")
        + " org.bytedeco:openblas:"
        + v.getProperty("openblas")
        + "\n";
  }

  /**
   * Whether {@code dir} holds a complete extraction of this build: its stamp names the same
   * versions, and every file it lists is there with the recorded size and was not modified after
   * the stamp was written (the extraction writes the stamp last, after checking every library's
   * SHA-256). A truncated, deleted or rewritten library under an intact stamp (which would crash
   * the JVM with SIGBUS, or load the system's OpenBLAS) makes the folder invalid, so it is
   * extracted again. The SHA-256s are not recomputed here: hashing 370 MB cost every start 0.7 s,
   * and a change that keeps the size and puts the old modification time back is not an accident.
   */
  private static boolean valid(Path dir, String stamp) {
    try {
      Path stampFile = dir.resolve("evalh-stamp");
      String s = Files.readString(stampFile);
      if (!s.startsWith(stamp) || s.length() == stamp.length()) {
        return false;
      }
      FileTime written = Files.getLastModifiedTime(stampFile);
      for (String line : s.substring(stamp.length()).lines().toList()) {
        String[] f = line.split(" ", 3); // sha256 size name
        Path file = dir.resolve(f[2]);
        if (f.length != 3
            || !Files.isRegularFile(file)
            || Files.size(file) != Long.parseLong(f[1])
            || Files.getLastModifiedTime(file).compareTo(written) > 0) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Decompresses the bundled libraries into a private temporary folder, each checked against the
   * size and SHA-256 the build recorded, and renames the folder into place, so that concurrent JVMs
   * never see a half-written build: the first rename wins, the others delete their copy.
   */
  private static void extract(Path cacheRoot, Path dir, String stamp, Class<?> resources) {
    Path tmp = null;
    try {
      List<String> index = nativesIndex(resources);
      Files.createDirectories(cacheRoot);
      tmp = Files.createTempDirectory(cacheRoot, dir.getFileName() + ".tmp-");
      for (String line : index) {
        String[] f = line.split(" ", 3); // sha256 size name
        if (f.length != 3) {
          throw new TorchException(
              "the jar's " + NATIVES + "natives.list is damaged (line '" + line + "')");
        }
        String got = decompress(resources, f[2], tmp.resolve(f[2]));
        long size = Files.size(tmp.resolve(f[2]));
        if (size != Long.parseLong(f[1]) || !got.equals(f[0])) {
          throw new TorchException(
              String.format(
                  Locale.ROOT,
                  "the bundled %s in the jar is damaged: it decompresses to %,d bytes with"
                      + " SHA-256 %s, the build recorded %s bytes with %s; rebuild or re-download"
                      + " evalh, or use --torch DIR / EVALH_TORCH",
                  f[2],
                  size,
                  got,
                  f[1],
                  f[0]));
        }
      }
      Files.writeString(
          tmp.resolve("evalh-stamp"),
          stamp + String.join("\n", index) + "\n",
          StandardCharsets.UTF_8);
      if (Files.exists(dir) && !valid(dir, stamp)) {
        deleteTree(dir); // an older or damaged extraction
      }
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        tmp = null;
      } catch (IOException e) {
        // rename(2) onto a non-empty folder fails (ENOTEMPTY, reported as a plain
        // FileSystemException): another process extracted first, and its copy is complete.
        if (!valid(dir, stamp)) {
          throw e;
        }
      }
    } catch (IOException e) {
      throw new TorchException(
          "cannot extract the bundled libtorch into " + dir + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
  }

  /** The {@code sha256 size name} lines of the jar's {@code natives.list}. */
  private static List<String> nativesIndex(Class<?> resources) throws IOException {
    try (InputStream in = resources.getResourceAsStream(NATIVES + "natives.list")) {
      if (in == null) {
        throw new TorchException(
            "the bundled libtorch is not in this jar ("
                + NATIVES
                + "natives.list missing); use --torch DIR or EVALH_TORCH");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    }
  }

  /** Decompresses {@code name}'s resource into {@code target}; returns the output's SHA-256. */
  private static String decompress(Class<?> resources, String name, Path target)
      throws IOException {
    try (InputStream raw = resources.getResourceAsStream(NATIVES + name + ".zst")) {
      if (raw == null) {
        throw new TorchException(
            "the bundled libtorch is incomplete (" + NATIVES + name + ".zst missing from the jar)");
      }
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      try (InputStream in =
              new java.security.DigestInputStream(
                  new ZstdInputStream(raw).setLongMax(WINDOW_LOG), md);
          OutputStream out = Files.newOutputStream(target)) {
        in.transferTo(out);
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The largest window the build's long-distance matching uses (PackNatives.WINDOW_LOG). */
  private static final int WINDOW_LOG = 27;

  private static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    } catch (IOException e) {
      // best effort: a leftover temporary folder is harmless
    }
  }

  static String describe(LibTorchLocation l) {
    return String.format(Locale.ROOT, "%s (%s)", l.library(), l.source());
  }
}
