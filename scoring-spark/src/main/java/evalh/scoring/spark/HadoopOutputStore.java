package evalh.scoring.spark;

import evalh.core.io.AtomicFiles;
import evalh.harness.run.OutputStore;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.spark.TaskContext;

/**
 * {@code evalh run --engine spark --output hdfs://namenode:port/path}: the sweep's output written
 * through Hadoop's {@link FileSystem} API, with the local store's guarantees (see {@link
 * OutputStore}) built from what HDFS makes atomic: {@code create(path, overwrite=false)} and {@code
 * rename}.
 *
 * <ul>
 *   <li><b>Atomic write</b>: a hidden {@code .<name>.<random>.tmp} in the target's folder, synced
 *       ({@code hsync}) and closed, then renamed to the target. HDFS's rename does not replace a
 *       file: when the target exists, identical bytes are kept as they are, other bytes replace
 *       them only while this attempt still holds the folder's lock (else the write fails, the
 *       target untouched).
 *   <li><b>Lock</b>: the lock file created with {@code overwrite=false}, holding a token unique to
 *       the attempt (and its host, pid and Spark task attempt, for messages); renewed (its
 *       modification time set) every quarter of {@link #staleMillis} while held; released by
 *       deleting it only if it still holds this attempt's token. A second attempt waits while the
 *       holder renews; a lock that stayed the same (token and time) for {@link #staleMillis}, as
 *       this JVM's clock measures it, is a dead attempt's (an executor killed: no OS drops a lock
 *       on HDFS) and is taken over: renamed aside (only one taker's rename succeeds), checked to be
 *       the same stale lock, deleted, created anew.
 *   <li><b>Fencing</b>: a zombie attempt (its executor declared lost, the task still running) whose
 *       lock was taken over must not clobber the winner: before each rename into a folder, the lock
 *       this thread holds on that folder (or the nearest one above it) must still hold its token;
 *       its release leaves another token's lock alone.
 *   <li><b>Request cache</b>: HDFS cannot cut a torn line off in place, and a killed writer keeps
 *       its file's lease; so each opening of the cache appends to a segment of its own ({@code
 *       <file>.<time>-<random>.part}, {@code hsync} after each batch), and the cache reads every
 *       segment (a segment's torn last line ends with a newline, an unusable line).
 * </ul>
 */
final class HadoopOutputStore implements OutputStore {
  private static final long serialVersionUID = 1L;

  /** Renews the locks this JVM holds. */
  private static final ScheduledExecutorService RENEW =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "evalh-output-lock-renewal");
            t.setDaemon(true);
            return t;
          });

  /**
   * Attempts whose lock this JVM took over as dead: their other locks (a unit's request cache lock,
   * taken inside its folder lock) are taken over at once, not after another stale wait.
   */
  private static final Set<String> DEAD = ConcurrentHashMap.newKeySet();

  /** The locks each thread holds (a unit's lock and writes happen on one thread). */
  private static final ThreadLocal<Deque<HeldLock>> HELD = ThreadLocal.withInitial(ArrayDeque::new);

  /** {@code scheme://authority}: where the store's absolute paths live. */
  private final String root;

  /** How long a lock must stay unchanged to count as a dead attempt's. */
  private final long staleMillis;

  /** How often an acquiring attempt looks at a held lock again. */
  private final long pollMillis;

  private transient volatile FileSystem fs;

  HadoopOutputStore(URI output, long staleMillis) {
    if (output.getScheme() == null) {
      throw new IllegalArgumentException(output + ": no scheme");
    }
    this.root =
        output.getScheme()
            + "://"
            + (output.getRawAuthority() == null ? "" : output.getRawAuthority());
    this.staleMillis = staleMillis;
    this.pollMillis = Math.max(20, Math.min(1000, staleMillis / 10));
  }

  private FileSystem fs() throws IOException {
    FileSystem f = fs;
    if (f == null) {
      f = FileSystem.get(URI.create(root + "/"), new Configuration());
      fs = f;
    }
    return f;
  }

  private Path hadoop(java.nio.file.Path p) {
    return new Path(root + p.toAbsolutePath().normalize());
  }

  private static java.nio.file.Path local(Path p) {
    return java.nio.file.Path.of(p.toUri().getPath());
  }

  @Override
  public String describe(java.nio.file.Path p) {
    return root + p;
  }

  @Override
  public boolean isFile(java.nio.file.Path p) throws IOException {
    FileStatus s = status(hadoop(p));
    return s != null && s.isFile();
  }

  @Override
  public boolean isDirectory(java.nio.file.Path p) throws IOException {
    FileStatus s = status(hadoop(p));
    return s != null && s.isDirectory();
  }

  private FileStatus status(Path p) throws IOException {
    try {
      return fs().getFileStatus(p);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  @Override
  public List<java.nio.file.Path> files(java.nio.file.Path dir) throws IOException {
    List<java.nio.file.Path> out = new ArrayList<>();
    FileStatus[] all;
    try {
      all = fs().listStatus(hadoop(dir));
    } catch (FileNotFoundException e) {
      return out;
    }
    for (FileStatus s : all) {
      if (s.isFile()) {
        out.add(local(s.getPath()));
      }
    }
    out.sort(null);
    return out;
  }

  @Override
  public List<java.nio.file.Path> allFiles(java.nio.file.Path dir) throws IOException {
    List<java.nio.file.Path> out = new ArrayList<>();
    if (!isDirectory(dir)) {
      return out;
    }
    RemoteIterator<LocatedFileStatus> it = fs().listFiles(hadoop(dir), true);
    while (it.hasNext()) {
      out.add(local(it.next().getPath()));
    }
    out.sort(null);
    return out;
  }

  @Override
  public byte[] read(java.nio.file.Path file) throws IOException {
    return read(hadoop(file));
  }

  private byte[] read(Path p) throws IOException {
    try (var in = fs().open(p)) {
      return in.readAllBytes();
    }
  }

  @Override
  public void write(java.nio.file.Path target, AtomicFiles.Writer body) throws IOException {
    Path t = hadoop(target);
    Path dir = t.getParent();
    fs().mkdirs(dir);
    Path tmp = new Path(dir, tempName(t.getName()));
    try {
      try (FSDataOutputStream o = fs().create(tmp, false)) {
        BufferedOutputStream b = new BufferedOutputStream(o, 1 << 16);
        body.write(
            new FilterOutputStream(b) {
              @Override
              public void write(byte[] bytes, int off, int len) throws IOException {
                b.write(bytes, off, len);
              }

              @Override
              public void close() throws IOException {
                b.flush(); // writers such as Jackson close their target; keep the file open
              }
            });
        b.flush();
        o.hsync();
      }
      fence(t);
      if (fs().rename(tmp, t)) {
        return;
      }
      if (status(t) == null) {
        throw new IOException("cannot rename " + tmp + " to " + t);
      }
      if (Arrays.equals(read(t), read(tmp))) {
        return; // the same bytes are there already
      }
      fence(t);
      fs().delete(t, false);
      if (!fs().rename(tmp, t)) {
        throw new IOException("cannot rename " + tmp + " to " + t + " (another writer?)");
      }
    } catch (IOException e) {
      throw new IOException("cannot write " + t + ": " + e.getMessage(), e);
    } finally {
      try {
        fs().delete(tmp, false);
      } catch (IOException ignored) {
        // removed with the folder's other temporary files when the unit runs again
      }
    }
  }

  private static String tempName(String name) {
    return "."
        + name
        + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)
        + ".tmp";
  }

  /**
   * Fails unless the lock this thread holds nearest above {@code target} (its folder or a parent
   * folder) still holds this attempt's token; no such lock: nothing to check.
   */
  private void fence(Path target) throws IOException {
    String dir = target.getParent().toString();
    HeldLock nearest = null;
    for (HeldLock l : HELD.get()) {
      String ld = l.file.getParent().toString();
      if ((dir.equals(ld) || dir.startsWith(ld + "/"))
          && (nearest == null || ld.length() > nearest.file.getParent().toString().length())) {
        nearest = l;
      }
    }
    if (nearest != null && !nearest.stillHeld()) {
      throw new IOException(
          "this attempt lost its lock "
              + nearest.file
              + " to another attempt (taken over while this one was stalled); not writing "
              + target.getName());
    }
  }

  @Override
  public void move(java.nio.file.Path from, java.nio.file.Path to) throws IOException {
    Path t = hadoop(to);
    fs().mkdirs(t.getParent());
    if (!fs().rename(hadoop(from), t)) {
      throw new IOException("cannot rename " + hadoop(from) + " to " + t);
    }
  }

  @Override
  public List<java.nio.file.Path> removeTemps(java.nio.file.Path dir) throws IOException {
    List<java.nio.file.Path> gone = new ArrayList<>();
    for (java.nio.file.Path p : files(dir)) {
      if (OutputStore.isTemp(p.getFileName().toString()) && fs().delete(hadoop(p), false)) {
        gone.add(p);
      }
    }
    return gone;
  }

  @Override
  public Log openLog(java.nio.file.Path file) throws IOException {
    Path f = hadoop(file);
    ByteArrayOutputStream old = new ByteArrayOutputStream();
    List<Path> parts = new ArrayList<>();
    if (status(f) != null) {
      parts.add(f);
    }
    for (java.nio.file.Path p : files(file.getParent())) {
      String n = p.getFileName().toString();
      if (n.startsWith(f.getName() + ".") && n.endsWith(".part")) {
        parts.add(hadoop(p));
      }
    }
    for (Path p : parts) {
      byte[] b = read(p);
      old.write(b);
      if (b.length > 0 && b[b.length - 1] != '\n') {
        old.write('\n'); // a killed writer's torn line: a line of its own, dropped by the reader
      }
    }
    byte[] contents = old.toByteArray();
    return new Log() {
      private FSDataOutputStream out;

      @Override
      public byte[] contents() {
        return contents;
      }

      @Override
      public void append(byte[] bytes, long keep) throws IOException {
        if (out == null) {
          fs().mkdirs(f.getParent());
          out =
              fs().create(
                      new Path(
                          f.getParent(),
                          f.getName()
                              + "."
                              + String.format(
                                  java.util.Locale.ROOT,
                                  "%013d-%08x",
                                  System.currentTimeMillis(),
                                  ThreadLocalRandom.current().nextInt())
                              + ".part"),
                      false);
        }
        out.write(bytes);
        out.hsync();
      }

      @Override
      public void close() throws IOException {
        if (out != null) {
          out.close();
        }
      }
    };
  }

  @Override
  public Lock lock(java.nio.file.Path lockFile, String what) {
    Path f = hadoop(lockFile);
    HeldLock outer = HELD.get().peek();
    String attempt = outer != null ? outer.attempt : UUID.randomUUID().toString();
    byte[] token = token(attempt);
    try {
      Path created = firstMissing(f.getParent());
      fs().mkdirs(f.getParent());
      long start = System.nanoTime();
      byte[] seen = null;
      long seenTime = -1;
      long seenSince = start;
      while (true) {
        if (create(f, token)) {
          HeldLock l = new HeldLock(f, token, attempt, created);
          l.renewal =
              RENEW.scheduleWithFixedDelay(
                  l::renew, staleMillis / 4, staleMillis / 4, TimeUnit.MILLISECONDS);
          HELD.get().push(l);
          return l;
        }
        FileStatus s = status(f);
        byte[] holder;
        try {
          holder = s == null ? null : read(f);
        } catch (FileNotFoundException e) {
          holder = null;
        }
        if (s == null || holder == null) {
          continue; // released just now: try again
        }
        long now = System.nanoTime();
        String holderAttempt = field(holder, "attempt");
        if (holderAttempt != null && DEAD.contains(holderAttempt)) {
          takeOver(f, holder, s.getModificationTime()); // its folder lock was taken over already
          seen = null;
          continue;
        }
        if (!Arrays.equals(holder, seen) || s.getModificationTime() != seenTime) {
          seen = holder;
          seenTime = s.getModificationTime();
          seenSince = now;
        } else if (now - seenSince >= TimeUnit.MILLISECONDS.toNanos(staleMillis)) {
          takeOver(f, holder, seenTime);
          seen = null;
          continue;
        }
        if (now - start >= TimeUnit.MILLISECONDS.toNanos(2 * staleMillis)) {
          throw new IllegalStateException(
              what
                  + " is in use by another evalh run ("
                  + describeHolder(holder)
                  + ", renewed while this one waited "
                  + 2 * staleMillis / 1000.0
                  + " s); wait for it to finish or use another --output (lock file "
                  + f
                  + ")");
        }
        Thread.sleep(pollMillis);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + f + " (" + what + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(
          new InterruptedIOException("interrupted while waiting for " + f));
    }
  }

  /** Creates {@code f} with {@code token} unless it exists. */
  private boolean create(Path f, byte[] token) throws IOException {
    try (FSDataOutputStream o = fs().create(f, false)) {
      o.write(token);
      o.hsync();
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (RemoteException e) {
      if (e.getClassName().endsWith(".AlreadyBeingCreatedException")) {
        return false; // another attempt of this JVM (one HDFS client) is creating it right now
      }
      throw e;
    }
  }

  /**
   * Takes over the dead attempt's lock {@code f} that held {@code stale} at {@code time}: renamed
   * aside (a second taker's rename fails), deleted if it is still that stale lock; a fresh lock
   * moved by mistake (another taker was first) is put back.
   */
  private void takeOver(Path f, byte[] stale, long time) throws IOException {
    Path aside = new Path(f.getParent(), tempName(f.getName()));
    if (!fs().rename(f, aside)) {
      return;
    }
    FileStatus s = status(aside);
    if (s != null && s.getModificationTime() == time && Arrays.equals(read(aside), stale)) {
      fs().delete(aside, false);
      String dead = field(stale, "attempt");
      if (dead != null) {
        DEAD.add(dead);
      }
    } else if (!fs().rename(aside, f)) {
      fs().delete(aside, false); // its holder finds its lock gone and stops writing (fencing)
    }
  }

  private Path firstMissing(Path dir) throws IOException {
    Path missing = null;
    for (Path p = dir; p != null && status(p) == null; p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  /** The value of {@code key=} in a lock file, or null. */
  private static String field(byte[] lock, String key) {
    for (String line : new String(lock, StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith(key + "=")) {
        return line.substring(key.length() + 1);
      }
    }
    return null;
  }

  /**
   * A lock file's content: a token unique to this lock, the attempt (shared by the locks one unit
   * takes on its thread), and host, pid and Spark task for messages.
   */
  private static byte[] token(String attempt) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown";
    }
    TaskContext tc = TaskContext.get();
    return ("evalh output lock\ntoken="
            + UUID.randomUUID()
            + "\nattempt="
            + attempt
            + "\nhost="
            + host
            + "\npid="
            + ProcessHandle.current().pid()
            + (tc == null
                ? ""
                : "\nspark_task=stage "
                    + tc.stageId()
                    + " partition "
                    + tc.partitionId()
                    + " attempt "
                    + tc.attemptNumber())
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String describeHolder(byte[] holder) {
    String s = new String(holder, StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder();
    for (String line : s.split("\n")) {
      if (line.startsWith("host=") || line.startsWith("pid=") || line.startsWith("spark_task=")) {
        b.append(b.length() == 0 ? "" : ", ").append(line.replace('=', ' '));
      }
    }
    return b.length() == 0 ? "holder unknown" : b.toString();
  }

  /** A lock this attempt holds. */
  private final class HeldLock implements Lock {
    final Path file;
    final byte[] token;
    final String attempt;
    final Path created;
    volatile ScheduledFuture<?> renewal;

    HeldLock(Path file, byte[] token, String attempt, Path created) {
      this.file = file;
      this.token = token;
      this.attempt = attempt;
      this.created = created;
    }

    boolean stillHeld() throws IOException {
      try {
        return Arrays.equals(read(file), token);
      } catch (FileNotFoundException e) {
        return false;
      }
    }

    /** Sets the lock's time while it is this attempt's; stops once it is not. */
    void renew() {
      try {
        if (stillHeld()) {
          fs().setTimes(file, System.currentTimeMillis(), -1);
        } else {
          renewal.cancel(false);
        }
      } catch (IOException | RuntimeException e) {
        // the next renewal tries again; a lock left unrenewed too long is taken over
      }
    }

    @Override
    public void close() {
      if (renewal != null) {
        renewal.cancel(false);
      }
      HELD.get().remove(this);
      try {
        if (stillHeld()) {
          fs().delete(file, false);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot release " + file, e);
      }
    }

    @Override
    public void removeCreated() {
      if (created == null) {
        return;
      }
      try {
        fs().delete(created, true);
      } catch (IOException e) {
        // best effort: the run's own error is what the user needs to see
      }
    }
  }
}
