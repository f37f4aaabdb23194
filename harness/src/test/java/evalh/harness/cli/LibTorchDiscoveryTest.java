package evalh.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.engine.Fixtures;
import evalh.engine.runtime.FakePython;
import evalh.engine.runtime.LibTorchLocation;
import evalh.engine.runtime.LibTorchLocator;
import evalh.engine.runtime.TorchException;
import evalh.harness.TestCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where libtorch comes from, and the clear errors when what the user points at is unusable. */
class LibTorchDiscoveryTest {
  @TempDir Path tmp;

  private static String[] score(String... extra) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = TestCli.of(new ScoreCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] base = {
      "--ckpt", Fixtures.model("tiny-llama").toString(), "--text", "Hi", "--device", "cpu"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    int rc = cl.execute(args);
    return new String[] {String.valueOf(rc), out.toString(), err.toString()};
  }

  @Test
  void aTorchPathWithoutLibtorchIsAClearError() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("not-torch"));
    String[] r = score("--torch", empty.toString());
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[2])
        .contains("--torch " + empty)
        .contains("no libtorch in " + empty)
        .contains("lib/libtorch.so");
    String[] missing = score("--torch", tmp.resolve("nowhere").toString());
    assertThat(missing[0]).isEqualTo("1");
    assertThat(missing[2]).contains("is not a directory");
  }

  @Test
  void aLibtorchOlderThan210IsRefused() throws Exception {
    // A stand-in libtorch.so that reports ABI 2.9.0, built with the system C compiler.
    Path lib = Files.createDirectories(tmp.resolve("old-torch").resolve("lib"));
    Path c = tmp.resolve("fake.c");
    Files.writeString(
        c,
        "#include <stdint.h>\n"
            + "uint64_t aoti_torch_abi_version(void) {"
            + " return ((uint64_t)2 << 56) | ((uint64_t)9 << 48); }\n");
    Process gcc =
        new ProcessBuilder(
                "gcc",
                "-shared",
                "-fPIC",
                "-o",
                lib.resolve("libtorch.so").toString(),
                c.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gcc.exitValue()).as(log).isZero();
    String[] r = score("--torch", lib.getParent().toString());
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[2])
        .contains(lib.resolve("libtorch.so").toString())
        .contains("too old: it is 2.9.0")
        .contains("libtorch >= 2.10");
  }

  @Test
  void aPythonWhoseTorchDoesNotImportIsAClearError() throws IOException {
    Path bin =
        FakePython.in(
            tmp,
            "echo 'Traceback (most recent call last):' >&2\n"
                + "echo 'ImportError: libcudnn.so.9: cannot open shared object file' >&2\n"
                + "exit 1");
    assertThatThrownBy(
            () -> LibTorchLocator.locate(null, Map.of("PATH", bin.toString()), tmp.resolve("c")))
        .isInstanceOf(TorchException.class)
        .hasMessageContaining(bin.resolve("python3") + ") has a torch package that does not import")
        .hasMessageContaining("ImportError: libcudnn.so.9: cannot open shared object file")
        .hasMessageContaining("--torch DIR");
  }

  @Test
  void aPythonWhoseTorchDoesNotImportExitsWith1() throws Exception {
    Path bin = FakePython.in(tmp, "echo 'ImportError: broken torch' >&2; exit 1");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            ScoreMain.class.getName(),
            "--ckpt",
            Fixtures.model("tiny-llama").toString(),
            "--text",
            "Hi");
    pb.environment().put("PATH", bin.toString());
    pb.environment().remove("EVALH_TORCH");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    assertThat(out).contains("evalh: error: python3 (").contains("ImportError: broken torch");
  }

  @Test
  void anOlderPythonTorchIsSkippedWithANote() throws IOException {
    Path bin =
        FakePython.in(tmp, "echo 'evalh-torch: 1.13.1\t/usr/lib/python3/dist-packages/torch'");
    LibTorchLocation l =
        LibTorchLocator.locate(
            null, Map.of("PATH", bin.toString()), LibTorchLocator.defaultCacheRoot());
    assertThat(l.source()).startsWith("bundled CPU build");
    assertThat(l.notes()).singleElement().asString().contains("torch 1.13.1 is older than 2.10");
  }

  @Test
  void noPythonTorchIsQuiet() throws IOException {
    Path bin = FakePython.in(tmp, "echo 'evalh-torch: none'");
    for (Map<String, String> env :
        List.of(Map.of("PATH", bin.toString()), Map.of("PATH", tmp.resolve("empty").toString()))) {
      LibTorchLocation l = LibTorchLocator.locate(null, env, LibTorchLocator.defaultCacheRoot());
      assertThat(l.source()).startsWith("bundled CPU build");
      assertThat(l.notes()).isEmpty();
    }
  }

  @Test
  void aPythonTorch210OrNewerIsUsed() throws IOException {
    Path pkg = Files.createDirectories(tmp.resolve("site").resolve("torch").resolve("lib"));
    Files.writeString(pkg.resolve("libtorch.so"), "");
    Path bin =
        FakePython.in(tmp, "printf 'evalh-torch: 2.11.0+cu130\\t" + pkg.getParent() + "\\n'");
    LibTorchLocation l = LibTorchLocator.locate(null, Map.of("PATH", bin.toString()), tmp);
    assertThat(l.source()).isEqualTo("python3 torch 2.11.0+cu130");
    assertThat(l.library()).isEqualTo(pkg.resolve("libtorch.so"));
  }

  @Test
  void explicitChoiceWinsOverEverything() throws IOException {
    Path lib = Files.createDirectories(tmp.resolve("libtorch").resolve("lib"));
    Files.writeString(lib.resolve("libtorch.so"), "");
    Path bin = FakePython.in(tmp, "exit 1");
    Map<String, String> env = Map.of("PATH", bin.toString(), "EVALH_TORCH", lib.toString());
    assertThat(LibTorchLocator.locate(null, env, tmp).source()).isEqualTo("EVALH_TORCH=" + lib);
    assertThat(LibTorchLocator.locate(lib.getParent().toString(), env, tmp).library())
        .isEqualTo(lib.resolve("libtorch.so"));
  }

  /** {@code evalh score} in a child JVM (so that it sees another PATH). */
  public static final class ScoreMain {
    private ScoreMain() {}

    public static void main(String[] args) {
      System.exit(TestCli.of(new ScoreCommand()).execute(args));
    }
  }

  @Test
  void scoreOnCudaWithoutTorchExitsWith1BeforeLoadingWeights() throws Exception {
    Path bin = FakePython.in(tmp, "echo 'evalh-torch: none'");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            ScoreMain.class.getName(),
            "--ckpt",
            Fixtures.model("tiny-llama").toString(),
            "--text",
            "Hi",
            "--device",
            "cuda");
    pb.environment().put("PATH", bin.toString());
    pb.environment().remove("EVALH_TORCH");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    assertThat(out)
        .contains("evalh: error: --device cuda needs a CUDA build of PyTorch >= 2.10")
        .contains("has no torch package");
  }
}
