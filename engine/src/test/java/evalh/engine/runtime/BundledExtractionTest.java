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
      assertThat(LibTorchLocator.isBundled(got.get(0).get())).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }
}
