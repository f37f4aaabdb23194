package evalh.reporting.results;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A labelled run: its results.json and, read on first use, its per-item samples. */
public final class Run {
  private final String argument;
  private final String label;
  private final RunResults results;
  private final ConcurrentMap<String, Optional<TaskSamples>> samples = new ConcurrentHashMap<>();

  public Run(String argument, String label, RunResults results) {
    this.argument = argument;
    this.label = label;
    this.results = results;
  }

  /** The path the user gave. */
  public String argument() {
    return argument;
  }

  public String label() {
    return label;
  }

  public RunResults results() {
    return results;
  }

  public Run withLabel(String newLabel) {
    return new Run(argument, newLabel, results);
  }

  /** The task's per-item samples, when the run logged them. */
  public Optional<TaskSamples> samples(String task) {
    return samples.computeIfAbsent(
        task,
        t -> SamplesReader.find(results.directory(), t).map(file -> SamplesReader.read(t, file)));
  }
}
