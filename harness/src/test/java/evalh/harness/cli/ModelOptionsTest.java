package evalh.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.engine.scoring.EngineOptions;
import evalh.harness.run.RunCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Issue 25: run, score, bench and check-fixtures declare the model options once (the {@link
 * ModelOptions} mixin), so a flag means the same in every command; {@link
 * ModelOptions#engineOptions} is the one place that maps them.
 */
class ModelOptionsTest {
  private static final List<Supplier<Object>> COMMANDS =
      List.of(RunCommand::new, ScoreCommand::new, BenchCommand::new, CheckFixturesCommand::new);

  private static final List<String> MODEL_FLAGS =
      List.of("--ckpt", "--torch", "--device", "--dtype", "--batch-tokens");

  @Test
  void everyModelCommandHasTheSameModelOptions() {
    for (Supplier<Object> c : COMMANDS) {
      CommandLine cl = new CommandLine(c.get());
      String name = cl.getCommandName();
      for (String flag : MODEL_FLAGS) {
        OptionSpec o = cl.getCommandSpec().findOption(flag);
        OptionSpec want = new CommandLine(new ScoreCommand()).getCommandSpec().findOption(flag);
        assertThat(o).as(name + " " + flag).isNotNull();
        assertThat(o.defaultValue()).as(name + " " + flag).isEqualTo(want.defaultValue());
        assertThat(o.paramLabel()).as(name + " " + flag).isEqualTo(want.paramLabel());
        assertThat(o.description()).as(name + " " + flag).isEqualTo(want.description());
        assertThat(o.required()).as(name + " " + flag).isFalse();
      }
    }
    // the lm-eval conventions of scoring text: run and score only, the same declaration
    for (String flag : List.of("--add-bos", "--max-length", "--no-prefix-cache")) {
      OptionSpec run = new CommandLine(new RunCommand()).getCommandSpec().findOption(flag);
      OptionSpec score = new CommandLine(new ScoreCommand()).getCommandSpec().findOption(flag);
      assertThat(run.description()).as(flag).isEqualTo(score.description());
      assertThat(run.defaultValue()).as(flag).isEqualTo(score.defaultValue());
      assertThat(new CommandLine(new BenchCommand()).getCommandSpec().findOption(flag)).isNull();
    }
    assertThat(
            new CommandLine(new ScoreCommand())
                .getCommandSpec()
                .findOption("--batch-tokens")
                .defaultValue())
        .isEqualTo("auto");
  }

  private static EngineOptions parse(String... args) {
    ScoreCommand s = new ScoreCommand();
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--text";
    all[args.length + 1] = "x";
    new CommandLine(s).parseArgs(all);
    return s.model.engineOptions(s.scoring);
  }

  @Test
  void flagsMapToEngineOptions() {
    EngineOptions d = parse();
    assertThat(d.torch()).isNull();
    assertThat(d.device()).isEqualTo("auto");
    assertThat(d.dtype()).isEqualTo("auto");
    assertThat(d.batchTokens()).isZero(); // auto: sized from the free memory
    assertThat(d.addBos()).isNull();
    assertThat(d.maxLength()).isZero();
    assertThat(d.sharePrefixes()).isTrue();
    EngineOptions o =
        parse(
            "--torch",
            "bundled",
            "--device",
            "cpu",
            "--dtype",
            "bfloat16",
            "--batch-tokens",
            "512",
            "--add-bos",
            "false",
            "--max-length",
            "77",
            "--no-prefix-cache");
    assertThat(o)
        .isEqualTo(
            new EngineOptions(
                "bundled",
                "cpu",
                "bfloat16",
                false,
                77,
                512,
                0,
                EngineOptions.RollingPrefix.BOS,
                false));
    assertThat(parse("--add-bos", "true").addBos()).isTrue();
    assertThat(parse("--add-bos", "auto").addBos()).isNull();
    assertThat(parse("--batch-tokens", "auto").batchTokens()).isZero();
  }

  @Test
  void badValuesAreUsageErrorsInEveryCommand() {
    List<List<String>> bad =
        List.of(List.of("--batch-tokens", "0"), List.of("--batch-tokens", "many"));
    for (Supplier<Object> c : COMMANDS) {
      for (List<String> args : bad) {
        CommandLine cl = new CommandLine(c.get());
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err, true));
        String[] a =
            cl.getCommandName().equals("check-fixtures")
                ? new String[] {"--fixtures", "nowhere", args.get(0), args.get(1)}
                : new String[] {"--ckpt", "demo", "--task", "x", args.get(0), args.get(1)};
        if (cl.getCommandName().equals("score") || cl.getCommandName().equals("bench")) {
          a = new String[] {"--ckpt", "demo", "--text", "x", args.get(0), args.get(1)};
          if (cl.getCommandName().equals("bench")) {
            a = new String[] {"--ckpt", "demo", args.get(0), args.get(1)};
          }
        }
        assertThat(cl.execute(a)).as(cl.getCommandName() + " " + args).isEqualTo(2);
        assertThat(err.toString()).as(cl.getCommandName()).contains("--batch-tokens must be");
      }
    }
    for (Supplier<Object> c : List.<Supplier<Object>>of(RunCommand::new, ScoreCommand::new)) {
      CommandLine cl = new CommandLine(c.get());
      StringWriter err = new StringWriter();
      cl.setErr(new PrintWriter(err, true));
      String[] a =
          cl.getCommandName().equals("run")
              ? new String[] {"--ckpt", "demo", "--task", "x", "--add-bos", "yes"}
              : new String[] {"--ckpt", "demo", "--text", "x", "--add-bos", "yes"};
      assertThat(cl.execute(a)).isEqualTo(2);
      assertThat(err.toString()).contains("--add-bos must be auto, true or false, got 'yes'");
    }
  }
}
