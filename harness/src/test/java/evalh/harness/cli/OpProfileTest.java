package evalh.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.harness.TestCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code evalh bench --op-profile} prints every forward op's share of the runtime calls. */
class OpProfileTest {
  @Test
  void theProfileNamesTheForwardOpsAndTheirSharesAddUp() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = TestCli.of(new BenchCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int rc =
        cl.execute(
            "--hidden",
            "32",
            "--layers",
            "2",
            "--heads",
            "4",
            "--kv-heads",
            "2",
            "--intermediate",
            "64",
            "--vocab",
            "256",
            "--runtimes",
            "torch:float32",
            "--device",
            "cpu",
            "--workload",
            "mc,fewshot",
            "--rows",
            "2",
            "--seq-len",
            "16",
            "--subjects",
            "1",
            "--questions",
            "2",
            "--shots-tokens",
            "80",
            "--question-tokens",
            "4",
            "--op-profile");
    assertThat(rc).as(out + "\n" + err).isZero();
    String s = out.toString();
    assertThat(s).contains("op profile of torch/float32");
    for (String op : new String[] {"linear", "attention", "attention (prefix)", "rmsNorm"}) {
      assertThat(s).containsPattern("\\n  " + Pattern.quote(op) + " +\\d+ calls");
    }
    Matcher m = Pattern.compile("calls +[0-9.]+ s +([0-9.]+)%").matcher(s);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    assertThat(sum).isBetween(95.0, 100.5); // ops under 0.1% are not printed
  }
}
