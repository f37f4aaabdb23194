package evalh.reporting.diff;

import evalh.reporting.results.ResultsReader;
import evalh.reporting.results.Run;
import evalh.reporting.results.RunLabels;
import evalh.reporting.results.RunLocator;
import evalh.reporting.results.SweepLocator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code evalh diff}: compares a candidate run with a baseline and gates on regressions. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Compares every metric of every task and group of CANDIDATE with BASELINE: the change, its"
          + " confidence interval and a significance test, as a Markdown table on stdout.",
      "Paired on per-item samples when both runs logged them (McNemar for 0/1 metrics such as acc;"
          + " paired bootstrap over items, or over documents for bits_per_byte and perplexities);"
          + " an unpaired z-test from the reported stderr otherwise. The table says which.",
      "",
      "Exit codes: 0 no gated metric failed; 1 a gated metric regressed by more than --max-drop"
          + " with p < --alpha, or is missing from the candidate (or, with --fail-on-change,"
          + " changed at all), or an input could not be read; 2 usage error.",
      "",
      "Sweeps: BASELINE and CANDIDATE may be runs of a checkpoint sweep (<output>/<run>/ of evalh"
          + " run over step folders): their last checkpoints are compared, or those at --step N."
    })
public final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "BASELINE",
      description =
          "Baseline run: a run directory (the --output of 'evalh run') or its results.json.")
  Path baseline;

  @Parameters(
      index = "1",
      paramLabel = "CANDIDATE",
      description = "Candidate run: a run directory or its results.json.")
  Path candidate;

  @Option(
      names = "--step",
      paramLabel = "N",
      description =
          "For sweep runs: compare the checkpoints at training step N. Default: each sweep run's"
              + " last checkpoint.")
  Long step;

  @Option(
      names = "--max-drop",
      paramLabel = "X",
      defaultValue = "0.5",
      description =
          "Largest tolerated worsening of a gated metric: percentage points for proportions"
              + " (acc and other higher-is-better scores in [0,1]), percent of the baseline value"
              + " for other metrics (bits_per_byte, perplexities). Default: ${DEFAULT-VALUE}.")
  double maxDrop;

  @Option(
      names = "--alpha",
      paramLabel = "A",
      defaultValue = "0.05",
      description =
          "Significance level of the tests; confidence intervals are at 1-A. Default:"
              + " ${DEFAULT-VALUE}.")
  double alpha;

  @Option(
      names = "--metric",
      paramLabel = "NAME",
      split = ",",
      description =
          "Metrics to compare and gate, by name (acc) or full key (acc,none); repeatable or"
              + " comma-separated. Default: every metric in either run.")
  List<String> metrics = new ArrayList<>();

  @Option(
      names = "--junit",
      paramLabel = "FILE",
      description = "Also write the comparison as JUnit XML (one testcase per task and metric).")
  Path junit;

  @Option(
      names = "--fail-on-change",
      description =
          "Fail (exit 1) on any change of a gated metric beyond --tolerance, significant or not:"
              + " for a deterministic run checked against a committed baseline.")
  boolean failOnChange;

  @Option(
      names = "--tolerance",
      paramLabel = "T",
      defaultValue = "1e-6",
      description =
          "Two values count as equal when |a - b| <= T * max(1, |a|). Default: ${DEFAULT-VALUE}.")
  double tolerance;

  @Option(
      names = "--require-test",
      description =
          "Also fail a drop beyond --max-drop that no test can check (no samples and no stderr).")
  boolean requireTest;

  @Option(
      names = "--bootstrap-resamples",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Bootstrap resamples per comparison. Default: ${DEFAULT-VALUE}.")
  int resamples;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1234",
      description = "Seed of the bootstrap (results are reproducible). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--label",
      paramLabel = "RUN=NAME",
      description =
          "Name a run in the output (RUN: the path as typed or its directory name). Default: the"
              + " checkpoint directory name.")
  Map<String, String> labels = new java.util.LinkedHashMap<>();

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    DiffOptions options;
    List<Run> runs;
    try {
      options =
          new DiffOptions(
              metrics.stream().map(String::strip).filter(s -> !s.isEmpty()).toList(),
              resamples,
              seed,
              new GatePolicy(maxDrop, alpha, failOnChange, tolerance, requireTest));
      boolean sweeps = SweepLocator.isSweep(baseline) || SweepLocator.isSweep(candidate);
      if (step != null && !sweeps) {
        throw new IllegalArgumentException(
            "--step " + step + ": neither run is a sweep (<output>/<run>/<step>/ of evalh run)");
      }
      runs = new ArrayList<>(List.of(load(baseline), load(candidate)));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage(), e);
    }
    try {
      runs = RunLabels.apply(runs, labels);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage(), e);
    }
    DiffResult result;
    try {
      result = new RunComparator(options).compare(runs.get(0), runs.get(1));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("--metric")) {
        throw new CommandLine.ParameterException(cl, e.getMessage(), e);
      }
      throw e;
    }
    PrintWriter out = cl.getOut();
    out.print(DiffMarkdown.render(result));
    out.flush();
    if (junit != null) {
      JUnitXmlWriter.write(result, junit);
      cl.getErr().println("evalh diff: wrote " + junit);
    }
    return result.exitCode();
  }

  /** A run, or a sweep run's checkpoint at --step (else its last), named by the path as typed. */
  private Run load(Path arg) {
    if (SweepLocator.isSweep(arg)) {
      Path file = SweepLocator.resultsAt(arg, step);
      return new Run(arg.toString(), "", ResultsReader.read(file, file.getParent()));
    }
    RunLocator.resultsFile(arg);
    return RunLocator.load(arg, "");
  }
}
