package evalh.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.harness.TestCli;
import evalh.harness.run.RunCommand;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every model command, embed included, takes its runtime options from the one declaration; with one
 * tensor runtime there is no {@code --runtime} to choose it.
 */
class RuntimeOptionsTest {
  @Test
  void deviceDtypeAndTorchAreDeclaredOnceForEveryModelCommand() {
    List<Object> commands =
        List.of(
            new RunCommand(),
            new ScoreCommand(),
            new BenchCommand(),
            new CheckFixturesCommand(),
            new EmbedCommand());
    for (Object command : commands) {
      CommandSpec spec = TestCli.of(command).getCommandSpec();
      assertThat(spec.findOption("--runtime")).as(spec.name() + " --runtime").isNull();
      for (String name : List.of("--torch", "--device", "--dtype")) {
        OptionSpec o = spec.findOption(name);
        assertThat(o).as(spec.name() + " " + name).isNotNull();
        Object where = o.userObject();
        assertThat(where).as(spec.name() + " " + name).isInstanceOf(Field.class);
        assertThat(((Field) where).getDeclaringClass())
            .as(spec.name() + " " + name)
            .isEqualTo(RuntimeOptions.class);
      }
    }
  }
}
