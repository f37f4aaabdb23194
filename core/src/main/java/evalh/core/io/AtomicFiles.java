package evalh.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way evalh writes an output file: readers see the old file or the complete new one, never
 * a partial one, and the new file survives a crash once this returns.
 *
 * <ol>
 *   <li>a hidden temporary file {@code .<name>.<random>.tmp} is created in the target's directory
 *       (so the rename cannot cross file systems), with the permissions any new file gets: 0666
 *       minus the process umask (0644 under umask 022), or those of the file it replaces;
 *   <li>the content is written and forced to disk ({@code fsync});
 *   <li>the temporary file is renamed over the target atomically;
 *   <li>the directory is forced to disk, so that the rename itself is durable.
 * </ol>
 *
 * <p>{@link Files#createTempFile} is not used: it creates files owner-only (0600), which made
 * results and reports unreadable to the rest of a team.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Receives the output stream of the temporary file; closing it is allowed and harmless. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Replaces {@code target} with what {@code writer} writes. Parent directories are created. */
  public static void write(Path target, Writer writer) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = null;
    try {
      tmp = createTemp(dir, abs.getFileName().toString());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        BufferedOutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        writer.write(
            new FilterOutputStream(out) {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
              }

              @Override
              public void close() throws IOException {
                out.flush(); // writers such as Jackson close their target; keep the file open
              }
            });
        out.flush();
        ch.force(true);
      }
      keepPermissionsOf(abs, tmp);
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
      fsyncDirectory(dir);
    } catch (IOException e) {
      throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Replaces {@code target} with {@code content} encoded as UTF-8. */
  public static void writeString(Path target, String content) throws IOException {
    write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
  }

  /** Replaces {@code target} with {@code content}. */
  public static void writeBytes(Path target, byte[] content) throws IOException {
    write(target, out -> out.write(content));
  }

  /**
   * Creates a new empty file in {@code dir} without explicit permissions, so that the operating
   * system applies the umask exactly as for any other new file.
   */
  private static Path createTemp(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
      Path tmp = dir.resolve("." + name + "." + suffix + ".tmp");
      try {
        Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  /** A file that is replaced keeps its permissions, as it would if it were rewritten in place. */
  private static void keepPermissionsOf(Path target, Path tmp) throws IOException {
    if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)
        && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
    }
  }

  /**
   * Forces a directory's entries to disk. Some platforms cannot open a directory for reading (and
   * some file systems refuse to force one); there the rename is as durable as they make it.
   */
  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not supported here: nothing more can be done
    }
  }
}
