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
            TinyBench.args(
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
                "--op-profile"));
    assertThat(rc).as(out + "\n" + err).isZero();
    String s = out.toString();
    String[] workloads = {"mc", "fewshot/shared", "fewshot/full"};
    for (String w : workloads) {
      String section = section(s, "torch/float32 " + w);
      for (String op : new String[] {"linear", "attention", "rmsNorm"}) {
        assertThat(section).containsPattern("\n  " + Pattern.quote(op) + " +\\d+ calls");
      }
      // only the rows that continue a cached prefix run the prefix attention
      if (w.equals("fewshot/shared")) {
        assertThat(section).contains("attention (prefix)");
      } else {
        assertThat(section).doesNotContain("attention (prefix)");
      }
      Matcher m = Pattern.compile("calls +[0-9.]+ s +([0-9.]+)%").matcher(section);
      double sum = 0;
      while (m.find()) {
        sum += Double.parseDouble(m.group(1));
      }
      assertThat(sum).as(w).isBetween(95.0, 100.5); // ops under 0.1% are not printed
    }
    // the timed pass alone, warm-up excluded: one batch of 2 layers x 2 norms + the final norm
    // (mc), and the same after the prefix's own pass, which has no final norm (fewshot/shared)
    assertThat(section(s, "torch/float32 mc")).containsPattern("\n  rmsNorm +5 calls");
    assertThat(section(s, "torch/float32 fewshot/shared")).containsPattern("\n  rmsNorm +9 calls");
  }

  @Test
  void fewshotSharedRunsTheRowsWithASharedPrefixAlone() {
    StringWriter out = new StringWriter();
    CommandLine cl = TestCli.of(new BenchCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    int rc =
        cl.execute(
            TinyBench.args(
                "--workload",
                "fewshot-shared",
                "--subjects",
                "1",
                "--questions",
                "2",
                "--shots-tokens",
                "80",
                "--question-tokens",
                "4"));
    assertThat(rc).as(out.toString()).isZero();
    assertThat(out.toString())
        .containsPattern("\nfewshot/shared +[0-9.]+ s ")
        .doesNotContain("fewshot/full");
  }

  @Test
  void anUnknownWorkloadIsRefused() {
    CommandLine cl = TestCli.of(new BenchCommand());
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    int rc = cl.execute(TinyBench.args("--workload", "fewshot-sharedx"));
    assertThat(rc).isNotZero();
    assertThat(err.toString()).contains("unknown workload fewshot-sharedx");
  }

  /** The lines of the profile of {@code label} up to the next line that is not an op's. */
  private static String section(String out, String label) {
    int i = out.indexOf("op profile of " + label + ":");
    assertThat(i).as("profile of " + label + " in\n" + out).isNotNegative();
    StringBuilder b = new StringBuilder();
    String[] lines = out.substring(i).split("\n");
    b.append(lines[0]);
    for (int j = 1; j < lines.length && lines[j].startsWith("  ") && !lines[j].isBlank(); j++) {
      b.append('\n').append(lines[j]);
    }
    return b.toString();
  }
}
