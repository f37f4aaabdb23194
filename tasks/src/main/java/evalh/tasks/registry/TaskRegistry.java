package evalh.tasks.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import evalh.core.io.SafeNames;
import evalh.tasks.template.TaskField;
import evalh.tasks.template.TemplateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The task registry: suites of tasks and groups defined in YAML. The bundled files live under
 * {@code evalh/tasks/registry/} (listed in its {@code index.txt}); {@link #withIncludes} adds the
 * {@code *.yaml} files of user folders, which may define new suites or groups over existing tasks
 * (no Java needed). See {@code tasks/README.md} for the schema.
 */
public final class TaskRegistry {
  private static final String BUNDLED = "evalh/tasks/registry/";
  private static final ObjectMapper YAML = TaskYaml.MAPPER;

  private final Map<String, TaskSpec> tasks = new LinkedHashMap<>();
  private final Map<String, GroupSpec> groups = new LinkedHashMap<>();

  private TaskRegistry() {}

  /** The registry of the bundled YAML files. */
  public static TaskRegistry bundled() {
    TaskRegistry r = new TaskRegistry();
    for (String file : bundledFiles()) {
      try (InputStream in = resource(BUNDLED + file)) {
        r.addFile(YAML.readTree(in), "bundled:" + file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read bundled task file " + file, e);
      }
    }
    return r;
  }

  /** The bundled registry plus every {@code *.yaml}/{@code *.yml} file in {@code dirs}. */
  public static TaskRegistry withIncludes(List<Path> dirs) {
    TaskRegistry r = bundled();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        throw new RegistryException("--include-path " + dir + " is not a directory");
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files =
            s.filter(
                    p -> {
                      String n = p.getFileName().toString();
                      return n.endsWith(".yaml") || n.endsWith(".yml");
                    })
                .sorted()
                .toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
      for (Path f : files) {
        JsonNode root;
        try {
          root = YAML.readTree(f.toFile());
        } catch (IOException e) {
          throw new RegistryException(f + ": invalid YAML: " + e.getMessage(), e);
        }
        r.addFile(root, f.toString());
      }
    }
    return r;
  }

  public Optional<TaskSpec> task(String name) {
    return Optional.ofNullable(tasks.get(name));
  }

  public Optional<GroupSpec> group(String name) {
    return Optional.ofNullable(groups.get(name));
  }

  public Map<String, TaskSpec> tasks() {
    return java.util.Collections.unmodifiableMap(tasks);
  }

  public Map<String, GroupSpec> groups() {
    return java.util.Collections.unmodifiableMap(groups);
  }

  /**
   * Expands a comma-separated list of task and group names into leaf tasks (each once, in the order
   * first reached) and the groups involved.
   */
  public Selection resolve(String spec) {
    List<String> requested = new ArrayList<>();
    for (String part : spec.split(",", -1)) {
      String name = part.strip();
      if (name.isEmpty()) {
        throw new RegistryException("empty task name in '" + spec + "'");
      }
      if (!tasks.containsKey(name) && !groups.containsKey(name)) {
        throw new RegistryException("unknown task or group '" + name + "'" + suggestion(name));
      }
      if (!requested.contains(name)) {
        requested.add(name);
      }
    }
    Map<String, TaskSpec> leaves = new LinkedHashMap<>();
    Map<String, GroupSpec> involved = new LinkedHashMap<>();
    for (String name : requested) {
      collect(name, leaves, involved, new LinkedHashSet<>());
    }
    return new Selection(List.copyOf(requested), List.copyOf(leaves.values()), involved);
  }

  /** Leaf tasks under a group or the task itself. */
  public List<TaskSpec> leaves(String name) {
    Map<String, TaskSpec> leaves = new LinkedHashMap<>();
    collect(name, leaves, new LinkedHashMap<>(), new LinkedHashSet<>());
    return List.copyOf(leaves.values());
  }

  private void collect(
      String name,
      Map<String, TaskSpec> leaves,
      Map<String, GroupSpec> involved,
      Set<String> path) {
    TaskSpec t = tasks.get(name);
    if (t != null) {
      leaves.putIfAbsent(name, t);
      return;
    }
    GroupSpec g = groups.get(name);
    if (g == null) {
      throw new RegistryException("unknown task or group '" + name + "'");
    }
    if (!path.add(name)) {
      throw new RegistryException("group cycle: " + String.join(" -> ", path) + " -> " + name);
    }
    involved.putIfAbsent(name, g);
    for (String c : g.children()) {
      collect(c, leaves, involved, path);
    }
    path.remove(name);
  }

  private String suggestion(String name) {
    List<String> exact =
        tasks.values().stream()
            .filter(t -> t.lmEvalName().equals(name) && !t.lmEvalName().equals(t.name()))
            .map(TaskSpec::name)
            .toList();
    List<String> close =
        !exact.isEmpty()
            ? exact
            : Stream.concat(tasks.keySet().stream(), groups.keySet().stream())
                .filter(n -> n.contains(name) || n.equals(name.replace('_', '-')))
                .limit(5)
                .toList();
    return close.isEmpty()
        ? " (evalh run --list-tasks shows them all)"
        : " (did you mean " + String.join(", ", close) + "?)";
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Adds one file: binds it to {@link TaskYaml.SuiteFile}, expands every member through every
   * variant into a task, then adds the groups (per variant where they are built from members or
   * groups). Every name that will name files is checked here, before anything is scored.
   */
  private void addFile(JsonNode root, String file) {
    if (root == null || !root.isObject()) {
      throw new RegistryException(file + ": expected a mapping at the top level");
    }
    TaskYaml.SuiteFile f = TaskYaml.bind(root, TaskYaml.SuiteFile.class, file);
    String suite = f.suite();
    if (suite != null) {
      if (suite.isEmpty()) {
        throw new RegistryException(file + ": missing 'suite'");
      }
      checkName(file, "suite", suite);
    }
    Map<String, Map<String, String>> members = new LinkedHashMap<>();
    if (f.members() != null) {
      f.members().forEach((k, v) -> members.put(k, v == null ? Map.of() : Map.copyOf(v)));
    }
    Map<String, Map<String, String>> variantTasks = addVariants(f, suite, members, file);
    addPlainTasks(f, suite, file);
    addGroups(f, members, variantTasks, file);
  }

  /** Adds the tasks of every (variant, member); returns per variant suffix, member to task name. */
  private Map<String, Map<String, String>> addVariants(
      TaskYaml.SuiteFile f, String suite, Map<String, Map<String, String>> members, String file) {
    Map<String, Map<String, String>> byVariant = new LinkedHashMap<>();
    if (f.variants() == null) {
      return byVariant;
    }
    if (suite == null) {
      throw new RegistryException(file + ": variants need a 'suite' name");
    }
    for (int i = 0; i < f.variants().size(); i++) {
      TaskYaml.Variant v = f.variants().get(i);
      String where = file + ": variants[" + i + "]";
      String suffix = v.suffix() == null ? "" : v.suffix();
      if (byVariant.containsKey(suffix)) {
        throw new RegistryException(where + ": duplicate suffix '" + suffix + "'");
      }
      if (v.task() == null) {
        throw new RegistryException(where + ": missing 'task' mapping");
      }
      Map<String, String> names = new LinkedHashMap<>();
      for (Map.Entry<String, Map<String, String>> m : members.entrySet()) {
        JsonNode expanded = substitute(v.task(), m.getKey(), m.getValue());
        TaskSpec t =
            parseTask(expanded, suite, m.getKey(), m.getValue(), where, where + ".task", file);
        if (tasks.containsKey(t.name()) || groups.containsKey(t.name())) {
          throw new RegistryException(where + ": task '" + t.name() + "' is defined twice");
        }
        tasks.put(t.name(), t);
        names.put(m.getKey(), t.name());
      }
      byVariant.put(suffix, names);
    }
    return byVariant;
  }

  /** Adds the file's {@code tasks}: each as written; its suite is the file's, else its name. */
  private void addPlainTasks(TaskYaml.SuiteFile f, String suite, String file) {
    if (f.tasks() == null) {
      return;
    }
    for (int i = 0; i < f.tasks().size(); i++) {
      String where = file + ": tasks[" + i + "]";
      JsonNode node = f.tasks().get(i);
      if (node == null) {
        throw new RegistryException(where + ": expected a task mapping");
      }
      String name = node.path("name").asText("");
      TaskSpec t =
          parseTask(node, suite != null ? suite : name, name, Map.of(), where, where, file);
      if (tasks.containsKey(t.name()) || groups.containsKey(t.name())) {
        throw new RegistryException(where + ": task '" + t.name() + "' is defined twice");
      }
      tasks.put(t.name(), t);
    }
  }

  private void addGroups(
      TaskYaml.SuiteFile f,
      Map<String, Map<String, String>> members,
      Map<String, Map<String, String>> variantTasks,
      String file) {
    if (f.groups() == null) {
      return;
    }
    List<String> suffixes =
        variantTasks.isEmpty() ? List.of("") : List.copyOf(variantTasks.keySet());
    for (int i = 0; i < f.groups().size(); i++) {
      TaskYaml.GroupEntry g = f.groups().get(i);
      String where = file + ": groups[" + i + "]";
      if (g.name() == null || g.name().isEmpty()) {
        throw new RegistryException(where + ": missing 'name'");
      }
      // A plain group of named tasks exists once; it keeps the first variant's suffix.
      List<String> repeats = g.repeatsPerVariant() ? suffixes : suffixes.subList(0, 1);
      for (String suffix : repeats) {
        List<String> children = groupChildren(g, suffix, members, variantTasks.get(suffix), where);
        String gname = g.name() + suffix;
        checkName(where, "group", gname);
        if (children.isEmpty()) {
          throw new RegistryException(where + ": group '" + g.name() + "' lists no tasks");
        }
        if (tasks.containsKey(gname) || groups.containsKey(gname)) {
          throw new RegistryException(where + ": '" + gname + "' is defined twice");
        }
        groups.put(gname, new GroupSpec(gname, List.copyOf(children), file));
      }
    }
  }

  /**
   * The children of {@code g} for one variant: members matching {@code where}, listed members (as
   * this variant's tasks), listed groups (this variant's), named tasks.
   *
   * @param memberTasks this variant's member-to-task names; null when the file defines no tasks
   */
  private List<String> groupChildren(
      TaskYaml.GroupEntry g,
      String suffix,
      Map<String, Map<String, String>> members,
      Map<String, String> memberTasks,
      String where) {
    List<String> children = new ArrayList<>();
    if (g.where() != null) {
      for (Map.Entry<String, Map<String, String>> m : members.entrySet()) {
        boolean ok = true;
        for (Map.Entry<String, String> cond : g.where().entrySet()) {
          ok &= String.valueOf(cond.getValue()).equals(m.getValue().get(cond.getKey()));
        }
        if (ok) {
          children.add(memberTask(memberTasks, m.getKey(), where));
        }
      }
      if (children.isEmpty()) {
        throw new RegistryException(where + ": 'where' matches no member");
      }
    }
    if (g.members() != null) {
      for (String m : g.members()) {
        if (!members.containsKey(m)) {
          throw new RegistryException(where + ": member '" + m + "' is not in this file's members");
        }
        children.add(memberTask(memberTasks, m, where));
      }
    }
    if (g.groups() != null) {
      for (String sub : g.groups()) {
        String subName = sub + suffix;
        if (!groups.containsKey(subName)) {
          throw new RegistryException(
              where + ": group '" + subName + "' must be defined before it is used");
        }
        children.add(subName);
      }
    }
    if (g.tasks() != null) {
      for (String tn : g.tasks()) {
        if (!tasks.containsKey(tn) && !groups.containsKey(tn)) {
          throw new RegistryException(where + ": unknown task or group '" + tn + "'");
        }
        children.add(tn);
      }
    }
    return children;
  }

  private static String memberTask(Map<String, String> memberTasks, String member, String where) {
    if (memberTasks == null) {
      throw new RegistryException(where + ": this file defines no tasks to group");
    }
    return memberTasks.get(member);
  }

  /** A name that becomes part of file names (samples_<task>.jsonl, ...) must be safe as one. */
  private static void checkName(String where, String what, String name) {
    SafeNames.problem(name)
        .ifPresent(
            p -> {
              throw new RegistryException(where + ": " + what + " name " + p);
            });
  }

  private static TaskSpec parseTask(
      JsonNode node,
      String suite,
      String member,
      Map<String, String> attrs,
      String where,
      String bindWhere,
      String file) {
    TaskYaml.TaskEntry t = TaskYaml.bind(node, TaskYaml.TaskEntry.class, bindWhere);
    String name = required(t.name(), "name", bindWhere);
    String w = where + " (task " + name + ")";
    checkName(w, "task", name);
    OutputType type = t.outputType();
    if (type == null) {
      throw new RegistryException(w + ": missing 'output_type'");
    }
    Map<String, String> dataset = dataset(t, w);
    List<String> metrics = metrics(t, type, w);
    ChoiceTemplates choice = null;
    if (type == OutputType.MULTIPLE_CHOICE) {
      choice = choiceTemplates(t, w);
    } else {
      for (String key : List.of("doc_to_text", "doc_to_choice", "doc_to_target")) {
        JsonNode v = node.get(key);
        if (v != null && !v.isNull()) {
          throw new RegistryException(
              w + ": '" + key + "' is for multiple_choice tasks (rolling tasks use text_field)");
        }
      }
    }
    String detok = t.detokenizer();
    if (detok != null && !detok.equals("wikitext")) {
      throw new RegistryException(w + ": detokenizer must be 'wikitext', got '" + detok + "'");
    }
    int shots = t.numFewshot() == null ? 0 : t.numFewshot();
    if (shots < 0) {
      throw new RegistryException(w + ": num_fewshot must be >= 0");
    }
    return new TaskSpec(
        name,
        t.lmEvalName() != null ? t.lmEvalName() : name,
        suite,
        member,
        Map.copyOf(attrs),
        type,
        java.util.Collections.unmodifiableMap(dataset),
        t.trainingSplit(),
        t.validationSplit(),
        required(t.testSplit(), "test_split", w),
        t.fewshotSplit(),
        shots,
        choice,
        t.description() != null ? t.description() : "",
        t.targetDelimiter() != null ? t.targetDelimiter() : " ",
        t.fewshotDelimiter() != null ? t.fewshotDelimiter() : "\n\n",
        List.copyOf(metrics),
        t.textField() != null ? t.textField() : "text",
        detok,
        t.version() != null ? t.version() : 1.0,
        file);
  }

  /** {@code dataset_path}/{@code dataset_name} (kind hf), or a {@code dataset} with a kind. */
  private static Map<String, String> dataset(TaskYaml.TaskEntry t, String w) {
    Map<String, String> dataset = new LinkedHashMap<>();
    if (t.datasetPath() != null) {
      if (t.dataset() != null) {
        throw new RegistryException(
            w + ": give either dataset_path (and dataset_name) or a dataset mapping, not both");
      }
      if (t.datasetPath().isBlank()
          || t.datasetPath().startsWith("/")
          || t.datasetPath().contains("..")) {
        throw new RegistryException(
            w + ": dataset_path must be a HF repository id such as allenai/ai2_arc");
      }
      dataset.put("kind", DatasetKind.HF.yamlName());
      dataset.put("path", t.datasetPath());
      if (t.datasetName() != null) {
        if (t.datasetName().contains("/") || t.datasetName().contains("..")) {
          throw new RegistryException(w + ": dataset_name must be a configuration name");
        }
        dataset.put("name", t.datasetName());
      }
      return dataset;
    }
    if (t.datasetName() != null) {
      throw new RegistryException(w + ": dataset_name needs dataset_path");
    }
    if (t.dataset() == null || t.dataset().get("kind") == null) {
      throw new RegistryException(
          w + ": missing dataset_path (or a dataset mapping with a 'kind')");
    }
    DatasetKind kind;
    try {
      kind = DatasetKind.parse(t.dataset().get("kind"));
    } catch (IllegalArgumentException e) {
      throw new RegistryException(w + ": " + e.getMessage(), e);
    }
    if (kind == DatasetKind.HF) {
      throw new RegistryException(w + ": write dataset_path/dataset_name instead of kind 'hf'");
    }
    dataset.putAll(t.dataset());
    return dataset;
  }

  private static List<String> metrics(TaskYaml.TaskEntry t, OutputType type, String w) {
    List<TaskYaml.MetricEntry> list = t.metricList();
    if (list == null || list.isEmpty()) {
      throw new RegistryException(w + ": metric_list must be a non-empty list");
    }
    Set<String> allowed =
        type == OutputType.MULTIPLE_CHOICE
            ? Set.of("acc", "acc_norm", "acc_bytes")
            : Set.of("word_perplexity", "byte_perplexity", "bits_per_byte", "token_perplexity");
    List<String> metrics = new ArrayList<>();
    for (TaskYaml.MetricEntry e : list) {
      String m = e.metric();
      if (m == null || !allowed.contains(m)) {
        throw new RegistryException(
            w + ": metric '" + m + "' is not one of " + new java.util.TreeSet<>(allowed));
      }
      if (e.aggregation() != null && !e.aggregation().equals(TaskSpec.aggregation(m))) {
        throw new RegistryException(
            w
                + ": metric '"
                + m
                + "' aggregates as '"
                + TaskSpec.aggregation(m)
                + "', not '"
                + e.aggregation()
                + "'");
      }
      if (e.higherIsBetter() != null && e.higherIsBetter() != TaskSpec.higherIsBetter(m)) {
        throw new RegistryException(
            w + ": metric '" + m + "' has higher_is_better " + TaskSpec.higherIsBetter(m));
      }
      if (metrics.contains(m)) {
        throw new RegistryException(w + ": metric '" + m + "' is listed twice");
      }
      metrics.add(m);
    }
    return metrics;
  }

  /**
   * The {@code doc_to_*} fields of a multiple-choice task, compiled now: a template outside the
   * supported subset fails here, naming the file, the task and the field.
   */
  private static ChoiceTemplates choiceTemplates(TaskYaml.TaskEntry t, String w) {
    if (t.docToText() == null) {
      throw new RegistryException(w + ": missing 'doc_to_text'");
    }
    TaskField text = field(w, "doc_to_text", t.docToText());
    TaskField choice = choiceField(t.docToChoice(), "doc_to_choice", w);
    TaskField decontamChoices =
        t.docToDecontaminationChoices() == null || t.docToDecontaminationChoices().isNull()
            ? null
            : choiceField(t.docToDecontaminationChoices(), "doc_to_decontamination_choices", w);
    TaskField target = targetField(t.docToTarget(), w);
    TaskField query =
        t.docToDecontaminationQuery() == null
            ? null
            : field(w, "doc_to_decontamination_query", t.docToDecontaminationQuery());
    String sampler =
        t.fewshotConfig() == null || t.fewshotConfig().sampler() == null
            ? "default"
            : t.fewshotConfig().sampler();
    if (!sampler.equals("default") && !sampler.equals("first_n")) {
      throw new RegistryException(
          w + ": fewshot_config.sampler must be 'default' or 'first_n', got '" + sampler + "'");
    }
    TaskField description = field(w, "description", t.description() != null ? t.description() : "");
    return new ChoiceTemplates(description, text, choice, target, query, decontamChoices, sampler);
  }

  private static TaskField choiceField(JsonNode v, String key, String w) {
    if (v == null || v.isNull()) {
      throw new RegistryException(w + ": missing '" + key + "'");
    }
    if (v.isArray()) {
      List<String> l = new ArrayList<>();
      for (JsonNode c : v) {
        if (!c.isTextual()) {
          throw new RegistryException(w + ": " + key + ": a listed choice must be a string");
        }
        l.add(c.asText());
      }
      if (l.isEmpty()) {
        throw new RegistryException(w + ": " + key + ": the list is empty");
      }
      return TaskField.constant(List.copyOf(l));
    }
    if (!v.isTextual()) {
      throw new RegistryException(
          w + ": " + key + " must be a list, a field name or a {{ template }}");
    }
    TaskField f = field(w, key, v.asText());
    if (f.hasExpressions() && !f.template().isSingleExpression()) {
      throw new RegistryException(
          w
              + ": "
              + key
              + ": '"
              + v.asText()
              + "' must be one {{ expression }} giving a list (such as {{choices.text}} or"
              + " {{[a, b]}}), a field name or a YAML list");
    }
    return f;
  }

  private static TaskField targetField(JsonNode v, String w) {
    if (v == null || v.isNull()) {
      throw new RegistryException(w + ": missing 'doc_to_target'");
    }
    if (v.isIntegralNumber()) {
      if (v.asLong() < 0) {
        throw new RegistryException(w + ": doc_to_target: an index must be >= 0");
      }
      return TaskField.constant(v.asLong());
    }
    if (!v.isTextual()) {
      throw new RegistryException(
          w + ": doc_to_target must be an index, a field name or a {{ template }}");
    }
    return field(w, "doc_to_target", v.asText());
  }

  private static TaskField field(String w, String key, String value) {
    try {
      return TaskField.of(value);
    } catch (TemplateException e) {
      throw new RegistryException(w + ": " + key + ": " + e.getMessage(), e);
    }
  }

  private static String required(String value, String key, String where) {
    if (value == null || value.isEmpty()) {
      throw new RegistryException(where + ": missing '" + key + "'");
    }
    return value;
  }

  private static JsonNode substitute(JsonNode node, String member, Map<String, String> attrs) {
    if (node.isTextual()) {
      String s = node.asText();
      s = s.replace("{member}", member).replace("{member_words}", member.replace('_', ' '));
      for (Map.Entry<String, String> a : attrs.entrySet()) {
        s = s.replace("{" + a.getKey() + "}", a.getValue());
      }
      return TextNode.valueOf(s);
    }
    if (node.isObject()) {
      ObjectNode o = ((ObjectNode) node).objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        o.set(e.getKey(), substitute(e.getValue(), member, attrs));
      }
      return o;
    }
    if (node.isArray()) {
      ArrayNode a = ((ArrayNode) node).arrayNode();
      for (JsonNode c : node) {
        a.add(substitute(c, member, attrs));
      }
      return a;
    }
    return node;
  }

  private static List<String> bundledFiles() {
    try (InputStream in = resource(BUNDLED + "index.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundled task index", e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = TaskRegistry.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("missing resource " + name);
    }
    return in;
  }
}
