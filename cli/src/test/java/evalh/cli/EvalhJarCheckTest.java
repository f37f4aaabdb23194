package evalh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evalh.jar as the build packaged it (runs in the package phase, after the shade plugin, with
 * {@link JobJarCheckTest}): at most 120 MiB, native libraries for linux-x86_64 only, and what its
 * trimmed contents must still do, run from the jar itself in a child JVM: read parquet (parquet-mr
 * with the HDFS and YARN parts of hadoop-client-api left out) and unpack and run the bundled
 * libtorch from its zstd pack into an empty cache.
 */
class EvalhJarCheckTest {
  /** Issue 25's goal for the one-runtime jar. */
  static final long MAX_BYTES = 120L << 20;

  /** Where a native library for linux-x86_64 lives in the jars evalh bundles. */
  static final Pattern LINUX_X86_64 =
      Pattern.compile(
          "evalh/engine/runtime/natives/[^/]+\\.zst|com/sun/jna/linux-x86-64/.*|linux/amd64/.*"
              + "|native/lib/linux-x86_64/.*|org/jline/nativ/Linux/x86_64/.*"
              + "|org/xerial/snappy/native/Linux/x86_64(-musl)?/.*");

  private static Path jar;

  @TempDir Path tmp;

  @BeforeAll
  static void paths() {
    jar = Path.of(System.getProperty("evalh.jar"));
    assertThat(jar).isRegularFile();
  }

  @Test
  void jarIsAtMost120MiBWithLinuxX8664NativesOnly() throws IOException {
    assertThat(Files.size(jar)).as("evalh.jar bytes").isLessThanOrEqualTo(MAX_BYTES);
    List<String> natives = new ArrayList<>();
    try (ZipFile z = new ZipFile(jar.toFile())) {
      for (var e : Collections.list(z.entries())) {
        String n = e.getName();
        if (n.matches(".*\\.(so|dylib|dll|jnilib)([.][0-9]+)*(\\.zst)?")) {
          natives.add(n);
        }
      }
    }
    assertThat(natives)
        .contains(
            "evalh/engine/runtime/natives/libtorch_cpu.so.zst",
            "native/lib/linux-x86_64/cpu/libtokenizers.so")
        .allMatch(n -> LINUX_X86_64.matcher(n).matches(), "a linux-x86_64 native library")
        .noneMatch(n -> n.startsWith("org/bytedeco/"));
  }

  @Test
  void readsParquetCorporaThroughTheTrimmedHadoop() throws Exception {
    Path corpus = Files.createDirectories(tmp.resolve("corpus"));
    for (String codec : List.of("snappy", "zstd", "gzip")) {
      // 50 rows (text, id) each, written by parquet-mr's example writer with evalh's codecs
      try (InputStream in =
          EvalhJarCheckTest.class.getResourceAsStream("parquet/corpus-" + codec + ".parquet")) {
        Files.copy(in, corpus.resolve(codec + ".parquet"));
      }
    }
    Run r =
        evalh(
            tmp.resolve("home"),
            "index",
            "--corpus",
            corpus.toString(),
            "--out",
            tmp.resolve("index").toString(),
            "--n",
            "5");
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out())
        .contains("snappy.parquet: 50 docs from 50 records")
        .contains("zstd.parquet: 50 docs from 50 records")
        .contains("gzip.parquet: 50 docs from 50 records")
        .contains("now holds 150 documents")
        .doesNotContain("NoClassDefFoundError");
  }

  @Test
  void unpacksTheBundledLibtorchIntoAnEmptyCacheAndScores() throws Exception {
    Path home = tmp.resolve("home");
    Run r =
        evalh(home, "score", "--ckpt", "demo", "--text", "Hi there", "--device", "cpu", "--json");
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("\"logprobs\":[null,");
    try (var s = Files.list(home.resolve(".cache/evalh"))) {
      Path dir =
          s.filter(p -> p.getFileName().toString().startsWith("libtorch-")).findFirst().get();
      assertThat(dir.resolve("libtorch_cpu.so")).isRegularFile();
      assertThat(Files.size(dir.resolve("libtorch_cpu.so"))).isGreaterThan(100L << 20);
    }
  }

  private record Run(int code, String out) {}

  /** {@code java -jar evalh.jar ARGS} with {@code home} as user.home (its own libtorch cache). */
  private static Run evalh(Path home, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-Duser.home=" + home);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("EVALH_TORCH");
    pb.environment().put("PATH", ""); // no python3: the bundled libtorch
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }
}
