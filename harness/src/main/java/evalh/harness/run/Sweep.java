package evalh.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of a sweep: found from a glob, a run directory of step folders or a list file,
 * each with its run name (the folder holding the step folder), its training step (from the folder
 * name) and, where known, the tokens seen in training.
 */
public final class Sweep {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Step folder names: {@code step-N}, {@code stepN}, {@code step_N}, {@code checkpoint-N}, {@code
   * global_step_N} / {@code global_stepN}, optionally followed by {@code -tokensT} with T a count
   * and an optional K, M, B or T suffix (OLMo's {@code step1000-tokens4B}).
   */
  static final Pattern STEP_FOLDER =
      Pattern.compile(
          "(?:step[-_]?|checkpoint-|global_step[-_]?)(\\d{1,18})"
              + "(?:-tokens(\\d{1,18}(?:\\.\\d+)?)([KMBT]?))?",
          Pattern.CASE_INSENSITIVE);

  /**
   * One checkpoint of a sweep.
   *
   * @param run the run it belongs to (the name of the folder holding the step folder)
   * @param step the training step
   * @param tokens tokens seen in training, or {@code null} when unknown
   * @param tokensSource where {@code tokens} came from: {@code trainer_state.json}, {@code
   *     --tokens-per-step} or {@code name}; {@code null} when unknown
   * @param checkpoint the checkpoint directory
   */
  public record Point(String run, long step, Long tokens, String tokensSource, Path checkpoint) {
    /** {@code <run>/<step>}: where its results go under the sweep's output. */
    public Path folder(Path output) {
      return output.resolve(run).resolve(Long.toString(step));
    }

    public String label() {
      return run + "@" + step;
    }
  }

  private Sweep() {}

  /** The step number of a step folder name, or -1 when it is not one. */
  static long step(String folderName) {
    Matcher m = STEP_FOLDER.matcher(folderName);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Whether {@code ckpt} asks for a sweep: a glob, or a directory of step folders. */
  public static boolean isSweep(String ckpt) {
    if (ckpt == null || "demo".equals(ckpt)) {
      return false;
    }
    if (isGlob(ckpt)) {
      return true;
    }
    Path p = Path.of(ckpt);
    return Files.isDirectory(p)
        && !Files.exists(p.resolve("config.json"))
        && !stepFolders(p).isEmpty();
  }

  private static boolean isGlob(String s) {
    return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  /**
   * The sweep's checkpoints in step order (then run name): from {@code list} when given, else from
   * {@code ckpt} (a glob or a run directory).
   *
   * @param tokensPerStep tokens per training step ({@code --tokens-per-step}), or {@code null}
   * @throws IllegalArgumentException naming the folder, file or line at fault
   */
  public static List<Point> discover(String ckpt, Path list, Long tokensPerStep) {
    List<Path> dirs;
    if (list != null) {
      dirs = readList(list);
    } else if (isGlob(ckpt)) {
      dirs = glob(ckpt);
      if (dirs.isEmpty()) {
        throw new IllegalArgumentException("--ckpt '" + ckpt + "' matches no directory");
      }
    } else {
      dirs = stepFolders(Path.of(ckpt));
      if (dirs.isEmpty()) {
        throw new IllegalArgumentException(
            ckpt
                + ": no step folders (step-N, stepN, checkpoint-N or global_step_N) in this"
                + " directory");
      }
    }
    List<Point> out = new ArrayList<>();
    Map<String, Path> seen = new HashMap<>();
    for (Path d : dirs) {
      Point p = point(d, tokensPerStep);
      Path prev = seen.put(p.run() + "/" + p.step(), d);
      if (prev != null) {
        throw new IllegalArgumentException(
            "two checkpoints of run '"
                + p.run()
                + "' at step "
                + p.step()
                + ": "
                + prev
                + " and "
                + d);
      }
      out.add(p);
    }
    out.sort(Comparator.comparingLong(Point::step).thenComparing(Point::run));
    return List.copyOf(out);
  }

  private static Point point(Path dir, Long tokensPerStep) {
    Path abs = dir.toAbsolutePath().normalize();
    String name = abs.getFileName().toString();
    Matcher m = STEP_FOLDER.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          dir
              + ": not a step folder (expected step-N, stepN, checkpoint-N or global_step_N, got '"
              + name
              + "')");
    }
    long step = Long.parseLong(m.group(1));
    Path parent = abs.getParent();
    String run =
        parent == null || parent.getFileName() == null ? "run" : parent.getFileName().toString();
    Long fromState = trainerStateTokens(abs);
    if (fromState != null) {
      return new Point(run, step, fromState, "trainer_state.json", abs);
    }
    if (tokensPerStep != null) {
      return new Point(
          run, step, Math.multiplyExact(step, tokensPerStep), "--tokens-per-step", abs);
    }
    if (m.group(2) != null) {
      return new Point(run, step, nameTokens(m.group(2), m.group(3)), "name", abs);
    }
    return new Point(run, step, null, null, abs);
  }

  /** {@code 4B} → 4e9, {@code 1.5T} → 1.5e12, {@code 1234} → 1234. */
  static long nameTokens(String number, String suffix) {
    double scale =
        switch (suffix.toUpperCase(Locale.ROOT)) {
          case "K" -> 1e3;
          case "M" -> 1e6;
          case "B" -> 1e9;
          case "T" -> 1e12;
          default -> 1;
        };
    return new java.math.BigDecimal(number)
        .multiply(java.math.BigDecimal.valueOf(scale))
        .setScale(0, java.math.RoundingMode.HALF_EVEN)
        .longValueExact();
  }

  /**
   * HF Trainer's {@code num_input_tokens_seen} (top level of trainer_state.json; 0 when the trainer
   * did not count), or {@code null}.
   */
  static Long trainerStateTokens(Path dir) {
    Path f = dir.resolve("trainer_state.json");
    if (!Files.isRegularFile(f)) {
      return null;
    }
    JsonNode n;
    try {
      n = JSON.readTree(f.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(f + ": not valid JSON: " + e.getMessage(), e);
    }
    JsonNode t = n.path("num_input_tokens_seen");
    if (t.isMissingNode() || t.isNull()) {
      return null;
    }
    if (!t.canConvertToExactIntegral() || t.asLong() < 0) {
      throw new IllegalArgumentException(
          f + ": num_input_tokens_seen must be a non-negative integer, got " + t);
    }
    return t.asLong() > 0 ? t.asLong() : null;
  }

  /** The step folders directly under {@code runDir}. */
  static List<Path> stepFolders(Path runDir) {
    try (Stream<Path> s = Files.list(runDir)) {
      return s.filter(Files::isDirectory)
          .filter(p -> step(p.getFileName().toString()) >= 0)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + runDir, e);
    }
  }

  /** The directories matching a glob such as {@code ckpts/anneal-*}{@code /step-*}. */
  static List<Path> glob(String pattern) {
    String norm = pattern.replace('\\', '/');
    String[] parts = norm.split("/", -1);
    StringBuilder base = new StringBuilder();
    int i = 0;
    for (; i < parts.length; i++) {
      if (isGlob(parts[i])) {
        break;
      }
      base.append(parts[i]).append('/');
    }
    Path root = base.isEmpty() ? Path.of(".") : Path.of(base.toString());
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    int depth = parts.length - i;
    String rest = String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length));
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + rest);
    try (Stream<Path> s = Files.walk(root, depth)) {
      return s.filter(Files::isDirectory)
          .filter(p -> root.relativize(p).getNameCount() == depth)
          .filter(p -> m.matches(root.relativize(p)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  /**
   * A list file: one checkpoint directory a line (relative to the list's folder); blank lines and
   * lines starting with # are ignored.
   */
  static List<Path> readList(Path list) {
    List<String> lines;
    try {
      lines = Files.readAllLines(list, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--ckpt-list " + list + ": cannot read: " + e.getMessage(), e);
    }
    Path base = list.toAbsolutePath().getParent();
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      Path p = base.resolve(l).normalize();
      if (!Files.isDirectory(p)) {
        throw new IllegalArgumentException(
            list + ":" + (i + 1) + ": " + l + " is not a checkpoint directory");
      }
      if (step(p.getFileName().toString()) < 0) {
        throw new IllegalArgumentException(
            list
                + ":"
                + (i + 1)
                + ": "
                + l
                + " is not a step folder (step-N, stepN, checkpoint-N or global_step_N)");
      }
      out.add(p);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--ckpt-list " + list + ": no checkpoints listed");
    }
    return out;
  }
}
