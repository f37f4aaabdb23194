package evalh.harness.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.tasks.plan.TaskPlan;
import evalh.tasks.registry.ChoiceTemplates;
import evalh.tasks.registry.GroupSpec;
import evalh.tasks.registry.Selection;
import evalh.tasks.registry.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@code results.json} in lm-eval's schema ({@code results}, {@code groups}, {@code
 * group_subtasks}, {@code configs}, {@code versions}, {@code n-shot}, {@code higher_is_better},
 * {@code n-samples}, {@code config}); the caller adds the {@code evalh} section.
 */
final class ResultsReport {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The three views of lm-eval 0.3's decontamination convention. */
  enum View {
    ALL(""),
    CLEAN("_decontaminate"),
    DIRTY("_dirty");

    final String suffix;

    View(String suffix) {
      this.suffix = suffix;
    }
  }

  private final Selection selection;
  private final Map<String, TaskScores> scores;
  private final DecontamLabels decontam;

  /** name -> view -> metrics, for tasks and groups. */
  private final Map<String, Map<View, SubsetMetrics>> metrics = new LinkedHashMap<>();

  private final Map<String, boolean[]> dirtyMasks = new LinkedHashMap<>();

  ResultsReport(Selection selection, Map<String, TaskScores> scores, DecontamLabels decontam) {
    this.selection = selection;
    this.scores = scores;
    this.decontam = decontam;
    for (TaskScores s : scores.values()) {
      Map<View, SubsetMetrics> v = new LinkedHashMap<>();
      v.put(View.ALL, MetricsCalculator.task(s, null));
      if (decontam != null) {
        boolean[] dirty = decontam.dirtyMask(s.plan);
        dirtyMasks.put(s.plan.spec().name(), dirty);
        boolean[] clean = new boolean[dirty.length];
        for (int i = 0; i < dirty.length; i++) {
          clean[i] = !dirty[i];
        }
        v.put(View.CLEAN, MetricsCalculator.task(s, clean));
        v.put(View.DIRTY, MetricsCalculator.task(s, dirty));
      }
      metrics.put(s.plan.spec().name(), v);
    }
    for (String g : selection.groups().keySet()) {
      groupMetrics(g);
    }
  }

  boolean[] dirtyMask(String task) {
    return dirtyMasks.get(task);
  }

  Map<View, SubsetMetrics> metricsOf(String name) {
    return metrics.get(name);
  }

  private Map<View, SubsetMetrics> groupMetrics(String name) {
    Map<View, SubsetMetrics> done = metrics.get(name);
    if (done != null) {
      return done;
    }
    GroupSpec g = selection.groups().get(name);
    Map<View, SubsetMetrics> v = new LinkedHashMap<>();
    for (View view : decontam == null ? List.of(View.ALL) : List.of(View.values())) {
      List<SubsetMetrics> children = new ArrayList<>();
      for (String c : g.children()) {
        children.add(
            selection.groups().containsKey(c)
                ? groupMetrics(c).get(view)
                : metrics.get(c).get(view));
      }
      List<SubsetMetrics> leaves = new ArrayList<>();
      for (String leaf : leavesOf(name)) {
        leaves.add(metrics.get(leaf).get(view));
      }
      v.put(view, MetricsCalculator.group(children, leaves));
    }
    metrics.put(name, v);
    return v;
  }

  List<String> leavesOf(String name) {
    Set<String> out = new LinkedHashSet<>();
    GroupSpec g = selection.groups().get(name);
    if (g == null) {
      out.add(name);
    } else {
      for (String c : g.children()) {
        out.addAll(leavesOf(c));
      }
    }
    return List.copyOf(out);
  }

  /** Tasks and groups in display order: each requested name, groups followed by their members. */
  List<String> displayOrder() {
    Set<String> out = new LinkedHashSet<>();
    for (String r : selection.requested()) {
      walk(r, out);
    }
    return List.copyOf(out);
  }

  private void walk(String name, Set<String> out) {
    out.add(name);
    GroupSpec g = selection.groups().get(name);
    if (g != null) {
      for (String c : g.children()) {
        walk(c, out);
      }
    }
  }

  int depth(String name) {
    int best = -1;
    for (String r : selection.requested()) {
      best = Math.max(best, depthFrom(r, name, 0));
    }
    return Math.max(0, best);
  }

  private int depthFrom(String at, String target, int d) {
    if (at.equals(target)) {
      return d;
    }
    GroupSpec g = selection.groups().get(at);
    int best = -1;
    if (g != null) {
      for (String c : g.children()) {
        best = Math.max(best, depthFrom(c, target, d + 1));
      }
    }
    return best;
  }

  ObjectNode build(Map<String, Object> runConfig) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode results = root.putObject("results");
    ObjectNode groups = JSON.createObjectNode();
    for (String name : displayOrder()) {
      ObjectNode r = entry(name);
      results.set(name, r);
      if (selection.groups().containsKey(name)) {
        groups.set(name, r.deepCopy());
      }
    }
    if (!groups.isEmpty()) {
      root.set("groups", groups);
    }
    ObjectNode gs = root.putObject("group_subtasks");
    for (String name : displayOrder()) {
      ArrayNode a = gs.putArray(name);
      GroupSpec g = selection.groups().get(name);
      if (g != null) {
        g.children().forEach(a::add);
      }
    }
    ObjectNode configs = root.putObject("configs");
    ObjectNode versions = root.putObject("versions");
    ObjectNode nshot = root.putObject("n-shot");
    ObjectNode hib = root.putObject("higher_is_better");
    ObjectNode nsamples = root.putObject("n-samples");
    for (String name : displayOrder()) {
      GroupSpec g = selection.groups().get(name);
      if (g != null) {
        versions.put(name, 1.0);
        ObjectNode h = hib.putObject(name);
        for (String leaf : leavesOf(name)) {
          for (String m : scores.get(leaf).metrics()) {
            h.put(m, higherIsBetter(m));
          }
        }
        continue;
      }
      TaskScores s = scores.get(name);
      TaskSpec t = s.plan.spec();
      configs.set(name, taskConfig(t, s.plan));
      versions.put(name, t.version());
      nshot.put(name, s.plan.numFewshot());
      ObjectNode h = hib.putObject(name);
      t.metrics().forEach(m -> h.put(m, higherIsBetter(m)));
      ObjectNode ns = nsamples.putObject(name);
      ns.put("original", s.plan.original());
      ns.put("effective", s.plan.size());
    }
    root.set("config", JSON.valueToTree(runConfig));
    return root;
  }

  private ObjectNode entry(String name) {
    ObjectNode r = JSON.createObjectNode();
    int d = depth(name);
    r.put("alias", d == 0 ? name : " ".repeat(d - 1) + " - " + name);
    boolean group = selection.groups().containsKey(name);
    Map<View, SubsetMetrics> mv = metrics.get(name);
    for (Map.Entry<View, SubsetMetrics> e : mv.entrySet()) {
      String sfx = e.getKey().suffix;
      SubsetMetrics m = e.getValue();
      for (String k : m.values().keySet()) {
        put(r, k + sfx + ",none", m.values().get(k));
        put(r, k + "_stderr" + sfx + ",none", m.stderrs().get(k));
      }
      if (group) {
        for (String k : m.macro().keySet()) {
          put(r, k + "_macro" + sfx + ",none", m.macro().get(k));
          put(r, k + "_macro_stderr" + sfx + ",none", m.macroStderrs().get(k));
        }
      }
    }
    if (decontam != null) {
      r.put("n_clean", mv.get(View.CLEAN).n());
      r.put("n_dirty", mv.get(View.DIRTY).n());
    }
    return r;
  }

  private static void put(ObjectNode r, String key, Double v) {
    if (v == null || Double.isNaN(v)) {
      r.put(key, "N/A");
    } else {
      r.put(key, v);
    }
  }

  static boolean higherIsBetter(String metric) {
    return TaskSpec.higherIsBetter(metric);
  }

  /**
   * A task's entry under {@code configs}, with lm-eval's keys for what decides the requests and
   * scores (the decontamination keys are left out: they change no number, and the config is hashed
   * into {@code evalh.task_hashes}).
   */
  private static ObjectNode taskConfig(TaskSpec t, TaskPlan plan) {
    ObjectNode c = JSON.createObjectNode();
    c.put("task", t.name());
    c.put("lm_eval_task", t.lmEvalName());
    c.put("tag", t.suite());
    c.put("dataset_path", t.datasetPath());
    c.put("dataset_name", t.datasetName());
    if (t.trainingSplit() != null) {
      c.put("training_split", t.trainingSplit());
    }
    if (t.validationSplit() != null) {
      c.put("validation_split", t.validationSplit());
    }
    c.put("test_split", t.testSplit());
    if (t.fewshotSplit() != null) {
      c.put("fewshot_split", t.fewshotSplit());
    }
    c.put("output_type", t.outputType().yamlName());
    ChoiceTemplates ch = t.choice();
    if (ch != null) {
      c.put("doc_to_text", (String) ch.docToText().yaml());
      c.set("doc_to_choice", JSON.valueToTree(ch.docToChoice().yaml()));
      c.set("doc_to_target", JSON.valueToTree(ch.docToTarget().yaml()));
      c.put("description", t.description());
      c.put("target_delimiter", t.targetDelimiter());
      c.put("fewshot_delimiter", t.fewshotDelimiter());
      c.putObject("fewshot_config").put("sampler", ch.sampler());
    } else {
      c.put("doc_to_text", "");
      c.put(
          "doc_to_target",
          "wikitext".equals(t.detokenizer()) ? "wikitext_detokenizer(page)" : t.textField());
    }
    c.put("num_fewshot", plan.numFewshot());
    ArrayNode ml = c.putArray("metric_list");
    for (String m : t.metrics()) {
      ObjectNode mo = ml.addObject();
      mo.put("metric", m);
      mo.put("aggregation", TaskSpec.aggregation(m));
      mo.put("higher_is_better", higherIsBetter(m));
    }
    c.putObject("metadata").put("version", t.version());
    return c;
  }
}
