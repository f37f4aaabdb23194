package evalh.cli;

import evalh.core.cli.CommandErrors;
import evalh.core.cli.CommandProvider;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code evalh} entry point: discovers each module's subcommands and runs one. */
@Command(
    name = "evalh",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Log-likelihood evaluation (lm-evaluation-harness compatible) and benchmark",
      "decontamination for language-model data ablations.",
      "",
      "Exit codes: 0 ok, 1 failure, 2 usage error."
    },
    subcommandsRepeatable = false)
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /**
   * Lucene's notice that the Vector API incubator module is not enabled (its scalar fallback is
   * used) would otherwise be printed through java.util.logging by every index or decontam command.
   */
  private static final java.util.logging.Logger LUCENE_VECTORIZATION =
      java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

  public static void main(String[] args) {
    LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.SEVERE);
    System.exit(
        execute(
            args,
            new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
            new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
  }

  /** Runs {@code evalh args} and returns the exit code (0 ok, 1 failure, 2 usage error). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    List<CommandProvider> providers =
        ServiceLoader.load(CommandProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .sorted(Comparator.comparingInt(CommandProvider::order))
            .toList();
    for (CommandProvider p : providers) {
      cl.addSubcommand(p.command());
    }
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) ->
            CommandErrors.report(
                ex,
                commandLine.getErr(),
                m -> commandLine.getColorScheme().errorText(m).toString()));
    return cl;
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"evalh " + (v == null ? "dev" : v)};
    }
  }
}
