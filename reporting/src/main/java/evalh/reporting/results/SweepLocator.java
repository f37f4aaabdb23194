package evalh.reporting.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the runs of a checkpoint sweep ({@code evalh run --ckpt 'ckpts/*}{@code /step-*'}): its
 * output holds {@code <run>/<step>/results.json}. A user may name the sweep's output (every run) or
 * one run's folder (its steps).
 */
public final class SweepLocator {
  private static final Pattern STEP = Pattern.compile("\\d{1,18}");

  /**
   * One run of a sweep: its checkpoints in step order.
   *
   * @param name the run's name (its folder)
   * @param argument the run's folder as the user would type it
   * @param points the finished checkpoints, in step order
   * @param unfinished step folders without results.json (a killed or failed checkpoint)
   */
  public record Series(String name, String argument, List<Run> points, List<String> unfinished) {
    public Run last() {
      return points.getLast();
    }

    public long step(Run r) {
      return r.results().sweep().orElseThrow().step();
    }
  }

  private SweepLocator() {}

  /** Whether {@code arg} is a sweep's output or one of its runs (and not a plain run). */
  public static boolean isSweep(Path arg) {
    if (!Files.isDirectory(arg) || Files.exists(arg.resolve("results.json"))) {
      return false;
    }
    return !stepFolders(arg).isEmpty() || !runFolders(arg).isEmpty();
  }

  /** The runs under {@code arg}: itself when it holds step folders, else its run folders. */
  public static List<Series> load(Path arg) {
    List<Path> runs = stepFolders(arg).isEmpty() ? runFolders(arg) : List.of(arg);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException(
          arg
              + ": no sweep here (expected <run>/<step>/results.json from evalh run over step folders)");
    }
    List<Series> out = new ArrayList<>();
    for (Path r : runs) {
      List<Run> points = new ArrayList<>();
      List<String> unfinished = new ArrayList<>();
      for (Path step : stepFolders(r)) {
        Path results = step.resolve("results.json");
        if (!Files.isRegularFile(results)) {
          unfinished.add(step.getFileName().toString());
          continue;
        }
        RunResults rr = ResultsReader.read(results, step.toAbsolutePath());
        if (rr.sweep().isEmpty()) {
          throw new ResultsFormatException(results + ": no 'step' field (not a sweep's results)");
        }
        points.add(new Run(r.toString(), "", rr));
      }
      if (points.isEmpty()) {
        continue;
      }
      points.sort(Comparator.comparingLong(p -> p.results().sweep().orElseThrow().step()));
      String name = points.getLast().results().sweep().orElseThrow().run();
      out.add(new Series(name, r.toString(), List.copyOf(points), List.copyOf(unfinished)));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(arg + ": the sweep has no finished checkpoint yet");
    }
    return out;
  }

  /**
   * The checkpoint of a sweep run at {@code step}, or its last one when {@code step} is null (for
   * {@code evalh diff}).
   *
   * @throws IllegalArgumentException when {@code arg} holds several runs or lacks the step
   */
  public static Path resultsAt(Path arg, Long step) {
    List<Series> s = load(arg);
    if (s.size() > 1) {
      throw new IllegalArgumentException(
          arg
              + ": a sweep of "
              + s.size()
              + " runs ("
              + String.join(", ", s.stream().map(Series::name).toList())
              + "); name one run's folder, e.g. "
              + s.getFirst().argument());
    }
    Series one = s.getFirst();
    Run r = one.last();
    if (step != null) {
      r =
          one.points().stream()
              .filter(p -> one.step(p) == step)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          arg
                              + ": no finished checkpoint at step "
                              + step
                              + " (steps: "
                              + String.join(
                                  ", ",
                                  one.points().stream()
                                      .map(p -> Long.toString(one.step(p)))
                                      .toList())
                              + ")"));
    }
    return r.results().resultsFile();
  }

  private static List<Path> stepFolders(Path dir) {
    return children(dir).stream()
        .filter(p -> STEP.matcher(p.getFileName().toString()).matches())
        .toList();
  }

  private static List<Path> runFolders(Path dir) {
    return children(dir).stream().filter(p -> !stepFolders(p).isEmpty()).toList();
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
