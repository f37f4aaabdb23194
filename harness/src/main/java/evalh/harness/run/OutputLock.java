package evalh.harness.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive OS lock on a lock file, held from {@link #acquire} to {@link #close}: one evalh run
 * per output directory (or per request cache). The holder's pid is written into the file through
 * the locked channel, so a refused run can name it.
 *
 * <p>Trap: POSIX record locks belong to the process and are dropped when <em>any</em> channel of
 * the same file closes. This class is the only code that opens the lock file, and it never opens a
 * second handle of it while the lock is held. The OS releases the lock when the holder dies ({@code
 * kill -9} included), so a rerun of the same command proceeds.
 */
public final class OutputLock implements OutputStore.Lock {
  /** The lock file's name in an output directory. */
  public static final String FILE = ".evalh-run.lock";

  /** Lock files this JVM holds (a JVM may not lock one file twice). */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  /** The outermost directory that {@link #acquire} created for the lock file, or null. */
  private final Path created;

  private OutputLock(Path file, FileChannel channel, FileLock lock, Path created) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.created = created;
  }

  /** Locks {@code <dir>/.evalh-run.lock}. */
  public static OutputLock acquireDirectory(Path dir) {
    return acquire(dir.resolve(FILE), "output directory " + dir);
  }

  /** The outermost ancestor of {@code dir} (itself included) that does not exist, or null. */
  private static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  /**
   * After {@link #close} of a failed run: deletes the outermost directory {@link #acquire} created,
   * with everything in it. The lock kept every other evalh run out of it, so all it holds is this
   * run's (the lock file, the request cache and its lock): a failed run leaves no trace.
   */
  @Override
  public void removeCreated() {
    if (created == null) {
      return;
    }
    try (var s = Files.walk(created)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // best effort: the run's own error is what the user needs to see
    }
  }

  /**
   * Locks {@code lockFile} or fails at once with an {@link IllegalStateException} naming {@code
   * what} and the holder's pid.
   */
  public static OutputLock acquire(Path lockFile, String what) {
    Path key = lockFile.toAbsolutePath().normalize();
    if (!HELD.add(key)) {
      // Opening (and closing) a second channel here would drop this process's lock.
      throw new IllegalStateException(
          what
              + " is already open in this process (pid "
              + ProcessHandle.current().pid()
              + ") by another evalh run; use another --output (lock file "
              + lockFile
              + ")");
    }
    FileChannel ch = null;
    Path parent = key.getParent();
    Path created = parent == null ? null : firstMissing(parent);
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ch =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock l = ch.tryLock();
      if (l == null) {
        String holder = holder(ch);
        ch.close(); // this process holds no lock on the file, so closing drops nothing
        ch = null;
        throw refused(what, holder, lockFile);
      }
      ch.truncate(0);
      ByteBuffer pid =
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
      while (pid.hasRemaining()) {
        ch.write(pid, pid.position());
      }
      ch.force(false);
      return new OutputLock(key, ch, l, created);
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch);
      HELD.remove(key);
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new UncheckedIOException(
          "cannot lock " + lockFile + " (" + what + ")", (IOException) e);
    }
  }

  private static IllegalStateException refused(String what, String holder, Path lockFile) {
    return new IllegalStateException(
        what
            + " is in use by another evalh run"
            + (holder.isEmpty() ? "" : " (pid " + holder + ")")
            + "; wait for it to finish or use another --output (lock file "
            + lockFile
            + ")");
  }

  /** The pid the holder wrote, read through the same (unlocked) channel; empty if unknown. */
  private static String holder(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(32);
    int n = ch.read(b, 0);
    if (n <= 0) {
      return "";
    }
    String s = new String(b.array(), 0, n, StandardCharsets.US_ASCII).strip();
    return s.matches("[0-9]{1,19}") ? s : "";
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // the original failure is what the user needs to see
      }
    }
  }

  public Path file() {
    return file;
  }

  /** Releases the lock (the file stays: deleting it would race with a waiting run). */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release " + file, e);
    } finally {
      HELD.remove(file);
    }
  }
}
