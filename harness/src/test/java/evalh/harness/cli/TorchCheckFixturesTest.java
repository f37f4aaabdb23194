package evalh.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.engine.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code evalh check-fixtures} on TorchRuntime with the bundled CPU libtorch, for all five fixture
 * families (Llama, Qwen2, Qwen3, OLMo 2, GPT-NeoX: LayerNorm, GELU, partial rotary), in float32
 * (the fixtures' tolerances) and bfloat16 (6e-2 per token, 0.3 per request, 1e-2 relative bpb).
 */
class TorchCheckFixturesTest {

  @ParameterizedTest
  @ValueSource(strings = {"float32", "bfloat16"})
  void checkFixturesPasses(String dtype) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new CheckFixturesCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int rc =
        cl.execute(
            "--fixtures",
            Fixtures.path("").toString(),
            "--torch",
            "bundled",
            "--device",
            "cpu",
            "--dtype",
            dtype);
    System.out.print(out);
    assertThat(rc).as(out + "\n" + err).isZero();
    for (String model :
        new String[] {"tiny-llama", "tiny-qwen2", "tiny-qwen3", "tiny-olmo2", "tiny-gpt-neox"}) {
      assertThat(out.toString()).containsPattern(model + "\\s+torch/cpu/" + dtype + " .* ok\\n");
    }
    assertThat(out.toString()).contains("check-fixtures: PASS");
  }
}
