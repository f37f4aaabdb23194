package evalh.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.harness.cli.CheckFixturesCommand;
import evalh.harness.cli.ScoreCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The harness commands as a user runs them. */
class CliTest {

  private static String[] run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int rc = cl.execute(args);
    return new String[] {String.valueOf(rc), out.toString(), err.toString()};
  }

  @Test
  void scoreJsonIsOneObjectMatchingTheReference() throws Exception {
    // len17_bos of the logprobs fixture is BOS + the first 16 tokens of its source text.
    JsonNode seq = Fixtures.expected("logprobs-tiny-llama.json").path("sequences").get(2);
    int[] ids = Fixtures.ints(seq.path("input_ids"));
    String text;
    try (var tok = evalh.harness.tokenizer.TextTokenizer.load(Fixtures.model("tiny-llama"))) {
      text = tok.decode(java.util.Arrays.copyOfRange(ids, 1, ids.length), false);
      assertThat(tok.encode(text))
          .containsExactly(java.util.Arrays.copyOfRange(ids, 1, ids.length));
    }
    String[] r =
        run(
            new ScoreCommand(),
            "--ckpt",
            Fixtures.model("tiny-llama").toString(),
            "--text",
            text,
            "--json",
            "--device",
            "cpu");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1].strip().lines()).hasSize(1);
    JsonNode o = Fixtures.JSON.readTree(r[1]);
    assertThat(Fixtures.ints(o.path("ids"))).containsExactly(ids);
    assertThat(o.path("tokens").size()).isEqualTo(ids.length);
    assertThat(o.path("tokens").get(0).asText()).isEqualTo("<s>");
    assertThat(o.path("logprobs").get(0).isNull()).isTrue();
    for (int i = 1; i < ids.length; i++) {
      assertThat(o.path("logprobs").get(i).asDouble())
          .isCloseTo(
              seq.path("next_token_logprobs").get(i - 1).asDouble(),
              org.assertj.core.api.Assertions.within(Fixtures.LOGPROB_TOL));
    }
  }

  @Test
  void scoreTableAndErrors() {
    String[] ok =
        run(new ScoreCommand(), "--ckpt", "demo", "--text", "Hello\tworld", "--device", "cpu");
    assertThat(ok[0]).isEqualTo("0");
    assertThat(ok[1]).contains("logprob").contains("ĉ").contains("sum of 9 log-probs");
    String[] usage = run(new ScoreCommand(), "--text", "x");
    assertThat(usage[0]).isEqualTo("2");
    assertThat(usage[2]).contains("Missing required option: '--ckpt=DIR'");
  }

  @Test
  void checkFixturesPassesOnCpu() {
    String[] r =
        run(
            new CheckFixturesCommand(),
            "--fixtures",
            Fixtures.path("").toString(),
            "--device",
            "cpu");
    assertThat(r[1]).contains("check-fixtures: PASS").contains("tiny-llama").contains("tiny-qwen2");
    assertThat(r[0]).isEqualTo("0");
  }
}
