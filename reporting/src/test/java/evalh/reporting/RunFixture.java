package evalh.reporting;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes crafted run directories in evalh's results.json / samples_<task>.jsonl layout, with the
 * aggregate values computed here by the textbook formulas (mean, sqrt(p(1-p)/(n-1)), -Σll/Σbytes/ln
 * 2), independently of the code under test.
 */
public final class RunFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String checkpoint;
  private final Map<String, int[]> mc = new LinkedHashMap<>();
  private final Map<String, String[]> questions = new LinkedHashMap<>();
  private final Map<String, double[][]> bpb = new LinkedHashMap<>();
  private final Map<String, List<String>> groups = new LinkedHashMap<>();
  private boolean samples = true;

  private RunFixture(String checkpoint) {
    this.checkpoint = checkpoint;
  }

  /** A run of the checkpoint at {@code checkpointPath} (its directory name is the label). */
  private String sweepRun;

  private long step;
  private Long tokens;

  public static RunFixture of(String checkpointPath) {
    return new RunFixture(checkpointPath);
  }

  /** A multiple-choice task with per-item correctness (1 right, 0 wrong). */
  public RunFixture mc(String task, int... correct) {
    mc.put(task, correct.clone());
    return this;
  }

  /** Overrides the question text of the first items of {@code task}. */
  public RunFixture questions(String task, String... q) {
    questions.put(task, q.clone());
    return this;
  }

  /** A bits-per-byte task: per document loglikelihood, bytes and words. */
  public RunFixture bpb(String task, double[] ll, double[] bytes, double[] words) {
    bpb.put(task, new double[][] {ll.clone(), bytes.clone(), words.clone()});
    return this;
  }

  /** A group over multiple-choice subtasks (micro acc and macro acc). */
  public RunFixture group(String name, String... subtasks) {
    groups.put(name, List.of(subtasks));
    return this;
  }

  /** Whether samples files are written (default true). */
  /** Marks the run as a sweep's checkpoint (results.json's step, tokens and evalh.sweep.run). */
  public RunFixture sweep(String run, long step, Long tokens) {
    this.sweepRun = run;
    this.step = step;
    this.tokens = tokens;
    return this;
  }

  public RunFixture samples(boolean write) {
    samples = write;
    return this;
  }

  /** Writes the run into {@code dir} and returns it. */
  public Path writeTo(Path dir) {
    try {
      Files.createDirectories(dir);
      ObjectNode root = JSON.createObjectNode();
      ObjectNode results = root.putObject("results");
      ObjectNode groupsNode = root.putObject("groups");
      ObjectNode subtasks = root.putObject("group_subtasks");
      ObjectNode hib = root.putObject("higher_is_better");
      ObjectNode nSamples = root.putObject("n-samples");
      for (Map.Entry<String, List<String>> g : groups.entrySet()) {
        List<Integer> all = new ArrayList<>();
        double macro = 0;
        for (String t : g.getValue()) {
          int[] c = mc.get(t);
          for (int x : c) {
            all.add(x);
          }
          macro += mean(c);
        }
        int[] pooled = all.stream().mapToInt(Integer::intValue).toArray();
        ObjectNode e = groupsNode.putObject(g.getKey());
        e.put("alias", g.getKey());
        e.put("acc,none", mean(pooled));
        e.put("acc_stderr,none", stderr(pooled));
        e.put("acc_macro,none", macro / g.getValue().size());
        e.put("acc_macro_stderr,none", "N/A");
        ArrayNode st = subtasks.putArray(g.getKey());
        g.getValue().forEach(st::add);
        results.set(g.getKey(), e.deepCopy());
      }
      for (Map.Entry<String, int[]> t : mc.entrySet()) {
        int[] c = t.getValue();
        ObjectNode e = results.putObject(t.getKey());
        e.put("alias", t.getKey());
        e.put("acc,none", mean(c));
        e.put("acc_stderr,none", stderr(c));
        hib.putObject(t.getKey()).put("acc", true);
        nSamples.putObject(t.getKey()).put("original", c.length).put("effective", c.length);
        if (samples) {
          writeMcSamples(dir, t.getKey(), c);
        }
      }
      for (Map.Entry<String, double[][]> t : bpb.entrySet()) {
        double[] ll = t.getValue()[0];
        double[] bytes = t.getValue()[1];
        double[] words = t.getValue()[2];
        double sll = 0;
        double sb = 0;
        double sw = 0;
        for (int i = 0; i < ll.length; i++) {
          sll += ll[i];
          sb += bytes[i];
          sw += words[i];
        }
        ObjectNode e = results.putObject(t.getKey());
        e.put("alias", t.getKey());
        e.put("bits_per_byte,none", -(sll / sb) / Math.log(2));
        e.put("bits_per_byte_stderr,none", "N/A");
        e.put("byte_perplexity,none", Math.exp(-sll / sb));
        e.put("byte_perplexity_stderr,none", "N/A");
        e.put("word_perplexity,none", Math.exp(-sll / sw));
        e.put("word_perplexity_stderr,none", "N/A");
        ObjectNode h = hib.putObject(t.getKey());
        h.put("bits_per_byte", false);
        h.put("byte_perplexity", false);
        h.put("word_perplexity", false);
        nSamples.putObject(t.getKey()).put("original", ll.length).put("effective", ll.length);
        if (samples) {
          StringBuilder sbuf = new StringBuilder();
          for (int i = 0; i < ll.length; i++) {
            ObjectNode s = JSON.createObjectNode();
            s.put("doc_id", i);
            s.putObject("doc").put("text", "document " + i);
            s.put("target", "");
            s.putArray("word_perplexity").add(ll[i]).add(words[i]);
            s.putArray("byte_perplexity").add(ll[i]).add(bytes[i]);
            s.putArray("bits_per_byte").add(ll[i]).add(bytes[i]);
            s.put("doc_hash", "h" + i);
            s.put("filter", "none");
            s.putArray("metrics")
                .add("word_perplexity")
                .add("byte_perplexity")
                .add("bits_per_byte");
            sbuf.append(JSON.writeValueAsString(s)).append('\n');
          }
          Files.writeString(dir.resolve("samples_" + t.getKey() + ".jsonl"), sbuf.toString());
        }
      }
      root.putObject("config").put("model", "evalh").put("model_args", "pretrained=" + checkpoint);
      ObjectNode evalh = root.putObject("evalh");
      evalh.put("version", "0.1.0");
      evalh.put("checkpoint", checkpoint);
      evalh.put("device", "cpu");
      evalh.put("dtype", "float32");
      if (sweepRun != null) {
        root.put("step", step);
        if (tokens != null) {
          root.put("tokens", tokens);
        }
        evalh.putObject("sweep").put("run", sweepRun).put("step", step);
      }
      Files.writeString(
          dir.resolve("results.json"),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeMcSamples(Path dir, String task, int[] c) throws IOException {
    String[] q = questions.getOrDefault(task, new String[0]);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < c.length; i++) {
      ObjectNode s = JSON.createObjectNode();
      s.put("doc_id", i);
      ObjectNode doc = s.putObject("doc");
      doc.put("question", i < q.length ? q[i] : "Question " + i + " of " + task + "?");
      doc.putArray("choices").add("alpha").add("beta").add("gamma").add("delta");
      doc.put("answer", 1);
      s.put("target", 1);
      s.put("doc_hash", task + "-" + i);
      s.put("filter", "none");
      s.putArray("metrics").add("acc");
      s.put("acc", (double) c[i]);
      sb.append(JSON.writeValueAsString(s)).append('\n');
    }
    Files.writeString(dir.resolve("samples_" + task + ".jsonl"), sb.toString());
  }

  /** Mean of 0/1 values. */
  public static double mean(int[] c) {
    double s = 0;
    for (int x : c) {
      s += x;
    }
    return s / c.length;
  }

  /** lm-eval's sample stderr of a mean of 0/1 values: sqrt(p(1-p)/(n-1)). */
  public static double stderr(int[] c) {
    double p = mean(c);
    return Math.sqrt(p * (1 - p) / (c.length - 1));
  }

  /** {@code n} items of which the first {@code right} are correct. */
  public static int[] correct(int n, int right) {
    int[] c = new int[n];
    for (int i = 0; i < right; i++) {
      c[i] = 1;
    }
    return c;
  }

  /** A copy of {@code c} with the given items flipped. */
  public static int[] flip(int[] c, int... items) {
    int[] d = c.clone();
    for (int i : items) {
      d[i] = 1 - d[i];
    }
    return d;
  }

  /**
   * The content hash of item {@code i} of {@code task} as {@link #mc} writes it, its question
   * overridden by {@code questions} (as {@link #questions} does).
   */
  public static String itemHash(String task, int i, Map<String, String[]> questions) {
    String[] q = questions.getOrDefault(task, new String[0]);
    return evalh.decontam.schema.DecontamJson.itemHash(
        i < q.length ? q[i] : "Question " + i + " of " + task + "?",
        List.of("alpha", "beta", "gamma", "delta"),
        1);
  }

  /** Writes a decontam.json marking {@code dirty} doc_ids of each task (others clean). */
  public static Path decontam(
      Path file, String name, Map<String, int[]> dirtyIds, Map<String, Integer> sizes) {
    return decontam(file, name, dirtyIds, sizes, Map.of());
  }

  /** As above, for runs whose questions {@link #questions} overrode. */
  public static Path decontam(
      Path file,
      String name,
      Map<String, int[]> dirtyIds,
      Map<String, Integer> sizes,
      Map<String, String[]> questions) {
    try {
      ObjectNode root = JSON.createObjectNode();
      root.put("schema", "evalh.decontam/1");
      root.putObject("corpus").put("name", name);
      ObjectNode tasks = root.putObject("tasks");
      for (Map.Entry<String, Integer> t : sizes.entrySet()) {
        ArrayNode items = tasks.putObject(t.getKey()).putArray("items");
        java.util.Set<Integer> dirty = new java.util.HashSet<>();
        for (int id : dirtyIds.getOrDefault(t.getKey(), new int[0])) {
          dirty.add(id);
        }
        for (int i = 0; i < t.getValue(); i++) {
          items
              .addObject()
              .put("doc_id", i)
              .put("dirty", dirty.contains(i))
              .put("content_hash", itemHash(t.getKey(), i, questions));
        }
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, JSON.writeValueAsString(root));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
