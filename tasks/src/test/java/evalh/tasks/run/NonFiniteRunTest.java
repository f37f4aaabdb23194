package evalh.tasks.run;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.harness.checkpoint.SafetensorsFile;
import evalh.harness.checkpoint.SafetensorsWriter;
import evalh.harness.checkpoint.TensorInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A checkpoint whose weights hold NaN: `evalh run` fails naming the task, the doc id and NaN, and
 * writes no results.json (today every choice is NaN, the first one "wins", and the run exits 0).
 */
class NonFiniteRunTest {
  @TempDir Path tmp;

  /** tiny-qwen2 with its final norm weights set to F16 NaN. */
  private Path nanCheckpoint() throws Exception {
    Path src = Path.of(NonFiniteRunTest.class.getResource("/fixtures/models/tiny-qwen2").toURI());
    Path dir = Files.createDirectories(tmp.resolve("nan-qwen2"));
    try (Stream<Path> s = Files.list(src)) {
      for (Path f : s.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    Path file = dir.resolve("model.safetensors");
    Map<String, SafetensorsWriter.Entry> t = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (TensorInfo x : f.tensors().values()) {
        byte[] b = new byte[(int) x.data().byteSize()];
        x.bytes().get(b);
        if (x.name().equals("model.norm.weight")) {
          for (int i = 0; i < b.length; i += 2) {
            b[i] = 0x00; // F16 quiet NaN 0x7E00, little-endian
            b[i + 1] = 0x7E;
          }
        }
        t.put(x.name(), new SafetensorsWriter.Entry(x.dtype().name(), x.shape(), b));
      }
    }
    SafetensorsWriter.write(file, t);
    return dir;
  }

  @Test
  void nanWeightsFailTheRunNamingTaskAndDoc() throws Exception {
    Path ckpt = nanCheckpoint();
    Path out = tmp.resolve("out");
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new RunCommand());
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    List<Throwable> seen = new ArrayList<>();
    cl.setExecutionExceptionHandler(
        (ex, c, p) -> {
          seen.add(ex);
          return 1;
        });
    int rc =
        cl.execute(
            "--task",
            "mmlu-anatomy",
            "--ckpt",
            ckpt.toString(),
            "--sample-data",
            "--device",
            "cpu",
            "--no-progress",
            "-o",
            out.toString());
    assertThat(rc).as(err.toString()).isEqualTo(1);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).getMessage())
        .startsWith("mmlu-anatomy doc 0, continuation ' A': the log-likelihood is NaN");
    assertThat(out.resolve("results.json")).doesNotExist();
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("samples_")))
          .isEmpty();
    }
  }
}
