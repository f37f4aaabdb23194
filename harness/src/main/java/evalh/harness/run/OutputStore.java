package evalh.harness.run;

import evalh.core.io.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a run's output lives and how it is written: results.json and samples files (atomic writes),
 * locks, the request cache, files moved aside. {@link #local()} is this machine's file system (NIO,
 * {@link AtomicFiles}, OS locks); a cluster engine may supply another (scoring-spark: HDFS through
 * Hadoop's FileSystem API). Paths are absolute POSIX paths inside the store (for {@code
 * hdfs://nn:8020/runs/a}: {@code /runs/a}); {@link #describe} gives the full name for messages.
 *
 * <p>Contract, kept by every implementation:
 *
 * <ul>
 *   <li>{@link #write}: readers see the old file or the complete new one; the new bytes go to a
 *       hidden temporary file {@code .<name>.<random>.tmp} in the target's directory first (a name
 *       no reader of results or samples matches).
 *   <li>{@link #lock}: one holder at a time; a dead holder's lock is taken over (the local store:
 *       the OS drops it with the process); releasing never removes another holder's lock.
 *   <li>{@link #openLog}: appends that survive the writer being killed, but for the batch in
 *       flight; a torn last line reads as a line of its own.
 * </ul>
 */
public interface OutputStore extends Serializable {
  /** This machine's file system: {@link AtomicFiles}, {@link OutputLock}, an appended file. */
  static OutputStore local() {
    return LocalOutputStore.INSTANCE;
  }

  /** A lock held until {@link #close}. */
  interface Lock extends AutoCloseable {
    /** Releases it (the local lock file stays; another store deletes its own lock file). */
    @Override
    void close();

    /**
     * After {@link #close} of a failed run: deletes the outermost directory the lock created, with
     * everything in it (only this run wrote there).
     */
    void removeCreated();
  }

  /** An append-only log (the request cache): its contents when opened, then appends. */
  interface Log extends Closeable {
    /** Everything readable when the log was opened; a torn last line ends with a newline too. */
    byte[] contents();

    /**
     * Appends {@code bytes} and forces them to storage before returning. The first call keeps only
     * the first {@code keep} bytes of {@link #contents} (whole lines) before it appends.
     */
    void append(byte[] bytes, long keep) throws IOException;
  }

  /** The full name of {@code p} for messages ({@code hdfs://nn:8020/runs/a}). */
  String describe(Path p);

  boolean isFile(Path p) throws IOException;

  boolean isDirectory(Path p) throws IOException;

  /** The regular files directly in {@code dir}, sorted; empty if {@code dir} does not exist. */
  List<Path> files(Path dir) throws IOException;

  /** Every regular file under {@code dir}, at any depth. */
  List<Path> allFiles(Path dir) throws IOException;

  byte[] read(Path file) throws IOException;

  /** Replaces {@code target} atomically with what {@code body} writes (parents created). */
  void write(Path target, AtomicFiles.Writer body) throws IOException;

  /** Renames {@code from} to {@code to} (a new name; parents created) atomically. */
  void move(Path from, Path to) throws IOException;

  /**
   * Locks {@code lockFile} or fails with an {@link IllegalStateException} naming {@code what} and
   * the holder.
   */
  Lock lock(Path lockFile, String what);

  /** Opens (creating on the first append) the log {@code file}. */
  Log openLog(Path file) throws IOException;

  /**
   * Deletes the temporary files ({@code .<name>.<random>.tmp}) in {@code dir} that a killed writer
   * left: call only while holding {@code dir}'s lock, so that none is being written.
   *
   * @return the files deleted
   */
  List<Path> removeTemps(Path dir) throws IOException;

  /**
   * Whether {@code name} is a temporary file that evalh leaves in an output folder when killed:
   * {@code .<name>.<hex>.tmp} of a file it writes there ({@code results.json}, {@code
   * samples_<task>.jsonl}) or of a lock file ({@code <name>.lock}, a lock being taken over). Other
   * files, dot-files included, are never taken for one.
   */
  static boolean isTemp(String name) {
    if (!name.matches("\\..+\\.[0-9a-f]{1,16}\\.tmp")) {
      return false;
    }
    String n = name.substring(1, name.lastIndexOf('.', name.length() - ".tmp".length() - 1));
    return n.equals("results.json")
        || (n.startsWith("samples_") && n.endsWith(".jsonl"))
        || n.endsWith(".lock");
  }
}
