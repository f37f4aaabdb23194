package evalh.harness.run;

import evalh.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@link OutputStore#local()}: NIO, {@link AtomicFiles} and {@link OutputLock}. */
final class LocalOutputStore implements OutputStore {
  private static final long serialVersionUID = 1L;

  static final LocalOutputStore INSTANCE = new LocalOutputStore();

  private LocalOutputStore() {}

  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public String describe(Path p) {
    return p.toString();
  }

  @Override
  public boolean isFile(Path p) {
    return Files.isRegularFile(p);
  }

  @Override
  public boolean isDirectory(Path p) {
    return Files.isDirectory(p);
  }

  @Override
  public List<Path> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Override
  public List<Path> allFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public byte[] read(Path file) throws IOException {
    return Files.readAllBytes(file);
  }

  @Override
  public void write(Path target, AtomicFiles.Writer body) throws IOException {
    AtomicFiles.write(target, body);
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    Files.createDirectories(to.toAbsolutePath().getParent());
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public Lock lock(Path lockFile, String what) {
    return OutputLock.acquire(lockFile, what);
  }

  @Override
  public Log openLog(Path file) throws IOException {
    byte[] old = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    return new Log() {
      private FileChannel channel;

      @Override
      public byte[] contents() {
        return old;
      }

      @Override
      public void append(byte[] bytes, long keep) throws IOException {
        if (channel == null) {
          if (Files.exists(file) && Files.size(file) > keep) {
            try (FileChannel t = FileChannel.open(file, StandardOpenOption.WRITE)) {
              t.truncate(keep); // torn write of a killed run: cut it off first
            }
          }
          Files.createDirectories(file.toAbsolutePath().getParent());
          channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
        channel.force(false);
      }

      @Override
      public void close() throws IOException {
        if (channel != null) {
          channel.close();
        }
      }
    };
  }

  @Override
  public List<Path> removeTemps(Path dir) throws IOException {
    List<Path> gone = new ArrayList<>();
    for (Path p : files(dir)) {
      if (OutputStore.isTemp(p.getFileName().toString()) && Files.deleteIfExists(p)) {
        gone.add(p);
      }
    }
    return gone;
  }
}
