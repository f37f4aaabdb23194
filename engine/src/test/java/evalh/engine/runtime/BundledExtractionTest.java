package evalh.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.engine.runtime.damaged.Anchor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled libtorch is decompressed once per cache folder from the jar's zstd pack: concurrent
 * extractions (as concurrent test JVMs do) all end with the same complete copy, byte for byte the
 * libraries of the org.bytedeco jars, and leave no temporary folder behind; a damaged copy is
 * extracted again, a damaged pack refused.
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

  /**
   * A library rewritten in place with its size kept (bytes changed after the extraction) is
   * extracted again: warm starts check sizes and that nothing changed after the stamp, not hashes.
   */
  @Test
  void aLibraryRewrittenAfterTheExtractionIsExtractedAgain() throws Exception {
    Path lib = LibTorchLocator.bundled(cache, new ArrayList<>()).library();
    Path gomp = lib.getParent().resolve("libgomp.so.1");
    byte[] good = Files.readAllBytes(gomp);
    var stampTime = Files.getLastModifiedTime(lib.getParent().resolve("evalh-stamp"));
    byte[] bad = good.clone();
    java.util.Arrays.fill(bad, 0, 64, (byte) 0);
    Files.write(gomp, bad);
    // the write's own mtime may share the stamp's clock tick; a rewrite is later than the stamp
    Files.setLastModifiedTime(
        gomp, java.nio.file.attribute.FileTime.fromMillis(stampTime.toMillis() + 1000));
    LibTorchLocator.bundled(cache, new ArrayList<>());
    assertThat(Files.readAllBytes(gomp)).isEqualTo(good);
  }

  /**
   * The decompressed libraries are the org.bytedeco jars' own (on the test class path: the engine
   * depends on them as provided, for the build's pack), read here without the pack.
   */
  @Test
  void extractedLibrariesAreTheBytedecoJarsOnesByteForByte() throws Exception {
    Path dir = LibTorchLocator.bundled(cache, new ArrayList<>()).library().getParent();
    List<String> entries =
        List.of(
            "org/bytedeco/pytorch/linux-x86_64/libc10.so",
            "org/bytedeco/pytorch/linux-x86_64/libtorch_cpu.so",
            "org/bytedeco/pytorch/linux-x86_64/libgomp.so.1",
            "org/bytedeco/openblas/linux-x86_64/libopenblas.so.0",
            "org/bytedeco/openblas/linux-x86_64/libgfortran.so.5",
            "org/bytedeco/openblas/linux-x86_64/libquadmath.so.0");
    for (String e : entries) {
      Path got = dir.resolve(e.substring(e.lastIndexOf('/') + 1));
      try (InputStream want = BundledExtractionTest.class.getClassLoader().getResourceAsStream(e)) {
        assertThat(want).as(e + " on the test class path").isNotNull();
        assertThat(sha256(Files.newInputStream(got))).as(e).isEqualTo(sha256(want));
      }
    }
  }

  /** A pack whose library decompresses to other bytes than the build recorded is refused. */
  @Test
  void aDamagedPackIsRefusedAndLeavesNothingBehind() throws IOException {
    assertThatThrownBy(() -> LibTorchLocator.bundled(cache, new ArrayList<>(), Anchor.class))
        .isInstanceOf(TorchException.class)
        .hasMessageContaining("the bundled libc10.so in the jar is damaged")
        .hasMessageContaining("the build recorded 1443224 bytes");
    // a jar without the pack (the device kit's) names what is missing
    assertThatThrownBy(() -> LibTorchLocator.bundled(cache, new ArrayList<>(), String.class))
        .isInstanceOf(TorchException.class)
        .hasMessageContaining("natives.list missing");
    try (Stream<Path> s = Files.list(cache)) {
      assertThat(s).as("no partial extraction left in the cache").isEmpty();
    }
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (in) {
      byte[] buf = new byte[1 << 20];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
