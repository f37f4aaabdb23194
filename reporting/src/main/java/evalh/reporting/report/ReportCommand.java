package evalh.reporting.report;

import evalh.core.io.AtomicFiles;
import evalh.reporting.results.CorpusLabels;
import evalh.reporting.results.DecontamReader;
import evalh.reporting.results.MetricKey;
import evalh.reporting.results.Run;
import evalh.reporting.results.RunLabels;
import evalh.reporting.results.RunLocator;
import evalh.reporting.results.SweepLocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code evalh report}: an HTML page and a Markdown summary of one or more runs. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes a self-contained HTML report (inline SVG charts, no scripts, no network) and the same"
          + " tables in Markdown: accuracy per run with 95%% CIs, per-subject heat map, bits per"
          + " byte per validation source, and, with --decontam, contamination per corpus and"
          + " clean-vs-dirty accuracy.",
      "",
      "A checkpoint sweep's output (evalh run over step folders: <output>/<run>/<step>/) or one"
          + " of its runs adds learning curves: one panel per task and metric against step (or"
          + " --x tokens), one line per run with a band of ± 1 stderr; the other sections show"
          + " each run's last checkpoint.",
      "",
      "Exit codes: 0 ok; 1 an input could not be read or the report not written; 2 usage error."
    })
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "RUN",
      description =
          "Run directories (the --output of 'evalh run') or results.json files, or sweep outputs.")
  List<Path> runs;

  @Option(
      names = "--x",
      paramLabel = "step|tokens",
      defaultValue = "step",
      description =
          "x axis of the learning curves: the training step, or the tokens seen in training"
              + " (results.json's \"tokens\"). Default: ${DEFAULT-VALUE}.")
  String x;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description =
          "Output path, e.g. reports/mixes.html: writes FILE with the extension .html and .md"
              + " (any extension given is replaced).")
  Path out;

  @Option(
      names = "--label",
      paramLabel = "RUN=NAME",
      description =
          "Name a run (RUN: the path as typed, its directory name or its default label)."
              + " Default: the checkpoint directory name.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--decontam",
      paramLabel = "FILE",
      description =
          "A decontam.json from 'evalh decontam' (repeatable, one per corpus): adds contamination"
              + " per corpus and clean-vs-dirty accuracy (needs the runs' samples files).")
  List<Path> decontam = new ArrayList<>();

  @Option(
      names = "--title",
      paramLabel = "TEXT",
      defaultValue = "evalh report",
      description = "Page title. Default: ${DEFAULT-VALUE}.")
  String title;

  @Option(
      names = "--metric",
      paramLabel = "NAME",
      defaultValue = "acc",
      description =
          "Accuracy metric of the bar chart, heat map, clean/dirty split and item lists, e.g."
              + " acc_norm for cloze tasks (a per-item 0/1 field of the samples). Default:"
              + " ${DEFAULT-VALUE}.")
  String metric;

  @Option(
      names = "--max-items",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "Items listed per task where runs disagree, and dirty items per task. Default:"
              + " ${DEFAULT-VALUE}.")
  int maxItems;

  @Option(
      names = "--bootstrap-resamples",
      paramLabel = "N",
      defaultValue = "2000",
      description =
          "Bootstrap resamples for intervals of metrics without a reported stderr (e.g. bits per"
              + " byte from samples). Default: ${DEFAULT-VALUE}.")
  int resamples;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1234",
      description = "Bootstrap seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    if (maxItems < 0) {
      throw new CommandLine.ParameterException(cl, "--max-items must be >= 0, got " + maxItems);
    }
    if (resamples < 100) {
      throw new CommandLine.ParameterException(
          cl, "--bootstrap-resamples must be >= 100, got " + resamples);
    }
    if (!x.equals("step") && !x.equals("tokens")) {
      throw new CommandLine.ParameterException(cl, "--x must be step or tokens, got '" + x + "'");
    }
    List<SweepLocator.Series> series = new ArrayList<>();
    List<Path> plain = new ArrayList<>();
    for (Path p : runs) {
      try {
        if (SweepLocator.isSweep(p)) {
          series.addAll(SweepLocator.load(p));
        } else {
          RunLocator.resultsFile(p);
          plain.add(p);
        }
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage(), e);
      }
    }
    Map<String, String> plainLabels = new LinkedHashMap<>(labels);
    List<String> sweepLabels = sweepLabels(series, plainLabels);
    for (Path d : decontam) {
      if (!Files.exists(d)) {
        throw new CommandLine.ParameterException(cl, "--decontam " + d + ": no such file");
      }
    }
    List<Run> loaded = new ArrayList<>();
    for (Path p : plain) {
      loaded.add(RunLocator.load(p, ""));
    }
    try {
      loaded = RunLabels.apply(loaded, plainLabels);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage(), e);
    }
    List<Run> all = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      all.add(series.get(i).last().withLabel(sweepLabels.get(i)));
    }
    all.addAll(loaded);
    loaded = all;
    List<CorpusLabels> reports = new ArrayList<>();
    for (Path d : decontam) {
      reports.add(DecontamReader.read(d));
    }
    Outputs o = Outputs.of(out);
    Written w = write(loaded, series, sweepLabels, reports, o);
    cl.getOut().println("evalh report: wrote " + w.html() + " and " + w.markdown());
    cl.getOut().flush();
    return 0;
  }

  Written write(
      List<Run> loaded,
      List<SweepLocator.Series> series,
      List<String> sweepLabels,
      List<CorpusLabels> reports,
      Outputs o) {
    ReportModel model =
        new ReportBuilder(
                loaded, uniqueLabels(reports), MetricKey.parse(metric), resamples, seed, maxItems)
            .withSweeps(sweepLabels, series, x.equals("tokens"))
            .build(title);
    String generated =
        "Generated by evalh report at " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try {
      AtomicFiles.writeString(o.html(), HtmlReportRenderer.render(model, generated));
      AtomicFiles.writeString(o.markdown(), MarkdownReportRenderer.render(model, generated));
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    return new Written(o.html(), o.markdown());
  }

  /**
   * A sweep run's label: the user's {@code --label} for its name or folder (taken out of {@code
   * labels}), else its name; repeated names get {@code #2}, {@code #3}.
   */
  private static List<String> sweepLabels(
      List<SweepLocator.Series> series, Map<String, String> labels) {
    List<String> out = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (SweepLocator.Series s : series) {
      String l = s.name();
      for (String key :
          List.of(s.argument(), Path.of(s.argument()).normalize().toString(), s.name())) {
        if (labels.containsKey(key)) {
          l = labels.remove(key);
          break;
        }
      }
      int n = seen.merge(l, 1, Integer::sum);
      out.add(n == 1 ? l : l + " #" + n);
    }
    return out;
  }

  private static List<CorpusLabels> uniqueLabels(List<CorpusLabels> reports) {
    List<CorpusLabels> outList = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (CorpusLabels r : reports) {
      int n = seen.merge(r.label(), 1, Integer::sum);
      outList.add(n == 1 ? r : r.withLabel(r.label() + " #" + n));
    }
    return outList;
  }

  record Written(Path html, Path markdown) {}

  /** The two output files for {@code --out}. */
  record Outputs(Path html, Path markdown) {
    static Outputs of(Path out) {
      String name = out.getFileName().toString();
      int dot = name.lastIndexOf('.');
      String stem = dot > 0 ? name.substring(0, dot) : name;
      Path dir = out.toAbsolutePath().getParent();
      return new Outputs(dir.resolve(stem + ".html"), dir.resolve(stem + ".md"));
    }
  }
}
