import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A build step of evalh-engine (exec-maven-plugin, phase generate-resources; run by java's
 * source-file launcher with the module's compile class path): packs the bundled libtorch's native
 * libraries, zstd-compressed, into the engine's resources. The jar's own deflate gets libtorch_cpu.so
 * (316 MiB) to 78 MiB; zstd with a 128 MiB window gets it to about 60 MiB, and LibTorchLocator
 * decompresses it once into ~/.cache/evalh.
 *
 * <p>Usage: {@code PackNatives OUT_DIR LEVEL ENTRY...}, each ENTRY a path inside one of the class
 * path's jars (e.g. {@code org/bytedeco/pytorch/linux-x86_64/libtorch_cpu.so}). Writes {@code
 * OUT_DIR/NAME.zst} for each and, last, {@code OUT_DIR/natives.list}: a first line naming the
 * source jars and the level (when it is unchanged, nothing is packed again), then {@code sha256
 * size NAME} of each uncompressed library, which the extraction checks.
 */
public final class PackNatives {
  /** The window of long-distance matching: 2^27 bytes, zstd's default limit when decompressing. */
  static final int WINDOW_LOG = 27;

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException("usage: PackNatives OUT_DIR LEVEL ENTRY...");
    }
    Path out = Path.of(args[0]);
    int level = Integer.parseInt(args[1]);
    List<String> entries = List.of(args).subList(2, args.length);
    List<Path> jars = new ArrayList<>();
    List<String> from = new ArrayList<>();
    for (String entry : entries) {
      Path jar = jarHolding(entry);
      jars.add(jar);
      from.add(jar.getFileName() + ":" + Files.size(jar) + ":" + entry);
    }
    String header = "# zstd level " + level + " window 2^" + WINDOW_LOG + " of " + from;
    Path list = out.resolve("natives.list");
    if (Files.isRegularFile(list) && Files.readAllLines(list).get(0).equals(header)) {
      System.out.println("PackNatives: " + out + " is up to date");
      return;
    }
    Files.createDirectories(out);
    Files.deleteIfExists(list);
    StringBuilder index = new StringBuilder(header).append('\n');
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      String name = entry.substring(entry.lastIndexOf('/') + 1);
      long t0 = System.nanoTime();
      Path tmp = out.resolve(name + ".zst.tmp");
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long size;
      try (ZipFile z = new ZipFile(jars.get(i).toFile());
          InputStream in = new DigestInputStream(z.getInputStream(z.getEntry(entry)), sha);
          OutputStream zst =
              new ZstdOutputStream(Files.newOutputStream(tmp))
                  .setLevel(level)
                  .setLong(WINDOW_LOG)
                  .setChecksum(true)
                  .setWorkers(Runtime.getRuntime().availableProcessors())) {
        size = in.transferTo(zst);
      }
      Files.move(tmp, out.resolve(name + ".zst"), StandardCopyOption.REPLACE_EXISTING);
      index
          .append(HexFormat.of().formatHex(sha.digest()))
          .append(' ')
          .append(size)
          .append(' ')
          .append(name)
          .append('\n');
      System.out.printf(
          "PackNatives: %s %,d -> %,d bytes in %.1f s%n",
          name,
          size,
          Files.size(out.resolve(name + ".zst")),
          (System.nanoTime() - t0) / 1e9);
    }
    Files.writeString(list, index, StandardCharsets.UTF_8);
  }

  /** The class path's jar that holds {@code entry}. */
  private static Path jarHolding(String entry) throws IOException {
    for (String p : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!p.endsWith(".jar")) {
        continue;
      }
      try (ZipFile z = new ZipFile(p)) {
        ZipEntry e = z.getEntry(entry);
        if (e != null) {
          return Path.of(p);
        }
      }
    }
    throw new IOException(entry + " is in no jar of the class path");
  }
}
