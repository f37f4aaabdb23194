package evalh.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.engine.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokenization on a host that looks like a CUDA machine to DJL, with no network.
 *
 * <p>DJL decides "CUDA" from libcudart, which it loads through JNA: a stand-in {@code libcudart.so}
 * (compiled here from {@code fake-cuda/fake_cudart.c}) reports one H100-like GPU (CUDA 12.4,
 * compute capability 9.0). Each case runs in a fresh JVM (DJL picks its library once per JVM) with
 * its own empty DJL cache and every HTTP(S) connection sent to a local proxy that counts and
 * refuses connections. The control shows the simulation is real: DJL alone detects {@code
 * cu124}/sm_90 and reaches for the network. evalh's tokenizer must not.
 */
class TokenizerOnCudaHostTest {
  @TempDir Path tmp;
  private Path fakeCudaDir;

  record Run(int exit, String output, int connections, Path cache) {
    List<String> ids() {
      return output.lines().filter(l -> l.startsWith("ids ")).map(l -> l.substring(4)).toList();
    }
  }

  @BeforeEach
  void compileFakeCudart() throws Exception {
    fakeCudaDir = Files.createDirectories(tmp.resolve("fake-cuda"));
    Path src = fakeCudaDir.resolve("fake_cudart.c");
    try (InputStream in = getClass().getResourceAsStream("/fake-cuda/fake_cudart.c")) {
      Files.copy(in, src);
    }
    Process cc =
        new ProcessBuilder(
                "cc",
                "-shared",
                "-fPIC",
                "-o",
                fakeCudaDir.resolve("libcudart.so").toString(),
                src.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cc.waitFor())
        .as("cc (a C compiler is needed to build the fake libcudart): " + log)
        .isZero();
  }

  private Run run(String mode, Map<String, String> extraEnv) throws Exception {
    Path cache = tmp.resolve("djl-cache-" + mode + "-" + extraEnv.size());
    try (ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger connections = new AtomicInteger();
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!proxy.isClosed()) {
                      try (Socket s = proxy.accept()) {
                        connections.incrementAndGet();
                      } catch (IOException e) {
                        return; // closed
                      }
                    }
                  });
      String port = Integer.toString(proxy.getLocalPort());
      String cp =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(
          List.of(
              "-cp",
              cp,
              "--enable-native-access=ALL-UNNAMED",
              "-Djna.library.path=" + fakeCudaDir,
              "-Dhttp.proxyHost=127.0.0.1",
              "-Dhttp.proxyPort=" + port,
              "-Dhttps.proxyHost=127.0.0.1",
              "-Dhttps.proxyPort=" + port,
              "-Dhttp.nonProxyHosts=",
              "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
              TokenizeInFreshJvm.class.getName(),
              mode,
              Fixtures.model("tiny-llama").toString(),
              Fixtures.path("expected/tokenization-tiny-bpe.json").toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      for (String k :
          List.of("RUST_FLAVOR", "RUST_LIBRARY_PATH", "DJL_OFFLINE", "ENGINE_CACHE_DIR")) {
        env.remove(k);
      }
      env.put("DJL_CACHE_DIR", cache.toString());
      env.putAll(extraEnv);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
      proxy.close();
      acceptor.join();
      return new Run(p.exitValue(), out, connections.get(), cache);
    }
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).toList();
    }
  }

  @Test
  void controlDjlAloneSeesCudaAndReachesForTheNetwork() throws Exception {
    Run r = run("djl", Map.of());
    assertThat(r.output()).contains("platform flavor=cu124 arch=90");
    assertThat(r.connections()).as(r.output()).isPositive();
  }

  @Test
  void evalhTokenizesWithTheBundledCpuLibraryAndNoNetwork() throws Exception {
    Run r = run("evalh", Map.of());
    assertThat(r.output()).contains("platform flavor=cu124 arch=90");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.connections()).as("connections attempted; output:\n" + r.output()).isZero();
    List<String> want = new ArrayList<>();
    for (JsonNode it : Fixtures.expected("tokenization-tiny-bpe.json").path("items")) {
      List<Integer> ids = new ArrayList<>();
      it.path("ids").forEach(i -> ids.add(i.asInt()));
      want.add(ids.toString());
    }
    assertThat(want).hasSize(50);
    assertThat(r.ids()).containsExactlyElementsOf(want);
    // The one library DJL used is the bundled CPU build, extracted into its cache (under the
    // detected compute capability's folder) byte for byte.
    List<String> cached = files(r.cache());
    assertThat(cached)
        .singleElement()
        .satisfies(
            f ->
                assertThat(f)
                    .matches("tokenizers/[0-9.]+-[0-9.]+-cpu-linux-x86_64/(90/)?libtokenizers.so"));
    try (InputStream bundled =
        getClass().getResourceAsStream("/native/lib/linux-x86_64/cpu/libtokenizers.so")) {
      assertThat(Files.readAllBytes(r.cache().resolve(cached.get(0))))
          .isEqualTo(bundled.readAllBytes());
    }
  }

  @Test
  void aCudaFlavorAskedForByTheEnvironmentIsRefusedBeforeAnyDownload() throws Exception {
    Run r = run("evalh", Map.of("RUST_FLAVOR", "cu124"));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output()).contains("RUST_FLAVOR='cu124'").contains("unset RUST_FLAVOR");
    assertThat(r.connections()).isZero();
    assertThat(files(r.cache())).isEmpty();
  }
}
