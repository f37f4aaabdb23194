package evalh.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled libtorch is extracted once per cache folder: concurrent extractions (as concurrent
 * test JVMs do) all end with the same complete copy and leave no temporary folder behind.
 */
class BundledExtractionTest {
  @TempDir Path cache;

  @Test
  void concurrentExtractionsAgreeOnOneCompleteCopy() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<LibTorchLocation>> got = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        got.add(pool.submit(() -> LibTorchLocator.bundled(cache, new ArrayList<>())));
      }
      Path lib = got.get(0).get().library();
      for (Future<LibTorchLocation> f : got) {
        assertThat(f.get().library()).isEqualTo(lib);
      }
      assertThat(lib).exists();
      assertThat(lib.getParent().resolve("evalh-stamp")).exists();
      try (Stream<Path> s = Files.list(cache)) {
        assertThat(s.map(p -> p.getFileName().toString()))
            .containsExactly(lib.getParent().getFileName().toString());
      }
      // A second run reuses the stamped copy instead of extracting again.
      long modified = Files.getLastModifiedTime(lib).toMillis();
      assertThat(LibTorchLocator.bundled(cache, new ArrayList<>()).library()).isEqualTo(lib);
      assertThat(Files.getLastModifiedTime(lib).toMillis()).isEqualTo(modified);
      // libtorch under its own name, beside the libraries its RUNPATH ($ORIGIN) finds
      assertThat(lib.getFileName()).hasToString("libtorch_cpu.so");
      for (String f : List.of("libc10.so", "libgomp.so.1", "libopenblas.so.0")) {
        assertThat(lib.getParent().resolve(f)).isRegularFile();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * B9: a truncated .so under an intact version stamp crashed the JVM (SIGBUS); a deleted
   * libopenblas.so.0 silently fell back to the system's. Both are now extracted again.
   */
  @Test
  void aDamagedExtractionIsExtractedAgain() throws Exception {
    Path lib = LibTorchLocator.bundled(cache, new ArrayList<>()).library();
    Path dir = lib.getParent();
    long size = Files.size(lib);
    byte[] head = new byte[4096];
    try (var in = Files.newInputStream(lib)) {
      in.readNBytes(head, 0, head.length);
    }
    try (var ch = java.nio.channels.FileChannel.open(lib, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(size / 2);
    }
    Files.delete(dir.resolve("libopenblas.so.0"));
    Path again = LibTorchLocator.bundled(cache, new ArrayList<>()).library();
    assertThat(again).isEqualTo(lib);
    assertThat(Files.size(lib)).isEqualTo(size);
    assertThat(dir.resolve("libopenblas.so.0")).exists();
    byte[] head2 = new byte[4096];
    try (var in = Files.newInputStream(lib)) {
      in.readNBytes(head2, 0, head2.length);
    }
    assertThat(head2).isEqualTo(head);
  }
}
