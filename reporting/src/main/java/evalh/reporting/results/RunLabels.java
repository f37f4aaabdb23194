package evalh.reporting.results;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Run labels: the user's {@code --label run=name}, else the checkpoint directory name. */
public final class RunLabels {
  private static final Pattern WEIGHT_FILE =
      Pattern.compile(".*\\.(safetensors|bin|pt|pth|ckpt|gguf|npz|h5)$");

  private RunLabels() {}

  /**
   * The default label of a run: a sweep checkpoint's run name; else the name of the checkpoint
   * directory it scored (from the {@code evalh.checkpoint} field or lm-eval's {@code pretrained=}
   * model argument), else the run directory's name.
   */
  public static String defaultLabel(RunResults r) {
    if (r.sweep().isPresent()) {
      return r.sweep().get().run();
    }
    return r.checkpoint()
        .map(RunLabels::checkpointName)
        .filter(s -> !s.isBlank())
        .orElseGet(() -> runDirName(r));
  }

  static String checkpointName(String checkpoint) {
    String s = checkpoint.strip();
    while (s.length() > 1 && (s.endsWith("/") || s.endsWith("\\"))) {
      s = s.substring(0, s.length() - 1);
    }
    Path p = Path.of(s.replace('\\', '/'));
    Path name = p.getFileName();
    if (name == null) {
      return s;
    }
    if (WEIGHT_FILE.matcher(name.toString()).matches() && p.getParent() != null) {
      Path parent = p.getParent().getFileName();
      if (parent != null) {
        return parent.toString();
      }
    }
    return name.toString();
  }

  static String runDirName(RunResults r) {
    Path dir = r.directory().getFileName();
    return dir == null ? r.resultsFile().toString() : dir.toString();
  }

  /**
   * Labels for the given runs: {@code userLabels} keys may name a run by the argument as typed, its
   * normalised path, its directory name or its default label. Remaining duplicates are made unique
   * by appending the run directory name.
   *
   * @throws IllegalArgumentException for a key that names no run or several
   */
  public static List<Run> apply(List<Run> runs, Map<String, String> userLabels) {
    List<String> labels = new ArrayList<>();
    for (Run r : runs) {
      labels.add(defaultLabel(r.results()));
    }
    Set<Integer> userSet = new HashSet<>();
    for (Map.Entry<String, String> e : userLabels.entrySet()) {
      List<Integer> hits = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        if (names(runs.get(i), labels.get(i)).contains(e.getKey())) {
          hits.add(i);
        }
      }
      if (hits.isEmpty()) {
        throw new IllegalArgumentException(
            "--label "
                + e.getKey()
                + "="
                + e.getValue()
                + ": no run is called '"
                + e.getKey()
                + "' (runs: "
                + String.join(", ", runs.stream().map(Run::argument).toList())
                + ")");
      }
      if (hits.size() > 1) {
        throw new IllegalArgumentException(
            "--label "
                + e.getKey()
                + "=...: '"
                + e.getKey()
                + "' names "
                + hits.size()
                + " runs; use the path as typed");
      }
      if (e.getValue().isBlank()) {
        throw new IllegalArgumentException("--label " + e.getKey() + "=: the label is empty");
      }
      labels.set(hits.getFirst(), e.getValue());
      userSet.add(hits.getFirst());
    }
    // Disambiguate default labels that collide (two runs of the same checkpoint, say).
    Map<String, Integer> count = new HashMap<>();
    labels.forEach(l -> count.merge(l, 1, Integer::sum));
    Map<String, Integer> used = new LinkedHashMap<>();
    List<Run> out = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      String l = labels.get(i);
      if (count.get(l) > 1 && !userSet.contains(i)) {
        String dir = runDirName(runs.get(i).results());
        if (!dir.equals(l)) {
          l = l + " (" + dir + ")";
        }
      }
      int n = used.merge(l, 1, Integer::sum);
      if (n > 1) {
        l = l + " #" + n;
      }
      out.add(runs.get(i).withLabel(l));
    }
    return out;
  }

  private static Set<String> names(Run r, String defaultLabel) {
    Set<String> s = new HashSet<>();
    s.add(r.argument());
    s.add(Path.of(r.argument()).normalize().toString());
    s.add(runDirName(r.results()));
    s.add(defaultLabel);
    return s;
  }
}
