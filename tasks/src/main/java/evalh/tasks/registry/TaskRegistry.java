package evalh.tasks.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
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
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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

  private void addFile(JsonNode root, String file) {
    if (root == null || !root.isObject()) {
      throw new RegistryException(file + ": expected a mapping at the top level");
    }
    checkKeys(root, file, "suite", "members", "variants", "groups");
    String suite = root.hasNonNull("suite") ? text(root, "suite", file) : null;
    Map<String, Map<String, String>> members = new LinkedHashMap<>();
    if (root.has("members")) {
      JsonNode m = root.get("members");
      if (!m.isObject()) {
        throw new RegistryException(file + ": members must be a mapping");
      }
      for (Map.Entry<String, JsonNode> e : m.properties()) {
        Map<String, String> attrs = new LinkedHashMap<>();
        JsonNode v = e.getValue();
        if (v != null && !v.isNull()) {
          if (!v.isObject()) {
            throw new RegistryException(
                file + ": members." + e.getKey() + " must be a mapping of attributes");
          }
          for (Map.Entry<String, JsonNode> a : v.properties()) {
            attrs.put(a.getKey(), a.getValue().asText());
          }
        }
        members.put(e.getKey(), attrs);
      }
    }
    List<String> suffixes = new ArrayList<>();
    Map<String, List<String>> taskNamesByVariant = new LinkedHashMap<>();
    if (root.has("variants")) {
      if (suite == null) {
        throw new RegistryException(file + ": variants need a 'suite' name");
      }
      JsonNode vs = root.get("variants");
      if (!vs.isArray()) {
        throw new RegistryException(file + ": variants must be a list");
      }
      int i = 0;
      for (JsonNode v : vs) {
        String where = file + ": variants[" + i + "]";
        checkKeys(v, where, "suffix", "task");
        String suffix = v.hasNonNull("suffix") ? v.get("suffix").asText() : "";
        if (suffixes.contains(suffix)) {
          throw new RegistryException(where + ": duplicate suffix '" + suffix + "'");
        }
        suffixes.add(suffix);
        JsonNode template = v.get("task");
        if (template == null || !template.isObject()) {
          throw new RegistryException(where + ": missing 'task' mapping");
        }
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> m : members.entrySet()) {
          JsonNode expanded = substitute(template, m.getKey(), m.getValue());
          TaskSpec t = parseTask(expanded, suite, m.getKey(), m.getValue(), where, file);
          if (tasks.containsKey(t.name()) || groups.containsKey(t.name())) {
            throw new RegistryException(where + ": task '" + t.name() + "' is defined twice");
          }
          tasks.put(t.name(), t);
          names.add(t.name());
        }
        taskNamesByVariant.put(suffix, names);
        i++;
      }
    }
    if (suffixes.isEmpty()) {
      suffixes.add("");
    }
    if (root.has("groups")) {
      JsonNode gs = root.get("groups");
      if (!gs.isArray()) {
        throw new RegistryException(file + ": groups must be a list");
      }
      int i = 0;
      for (JsonNode g : gs) {
        String where = file + ": groups[" + i + "]";
        checkKeys(g, where, "name", "where", "members", "groups", "tasks");
        String name = text(g, "name", where);
        for (String suffix : suffixes) {
          List<String> children = new ArrayList<>();
          if (g.has("where")) {
            JsonNode w = g.get("where");
            for (Map.Entry<String, Map<String, String>> m : members.entrySet()) {
              boolean ok = true;
              for (Map.Entry<String, JsonNode> cond : w.properties()) {
                ok &= cond.getValue().asText().equals(m.getValue().get(cond.getKey()));
              }
              if (ok) {
                children.add(memberTask(taskNamesByVariant, suffix, members, m.getKey(), where));
              }
            }
            if (children.isEmpty()) {
              throw new RegistryException(where + ": 'where' matches no member");
            }
          }
          if (g.has("members")) {
            for (JsonNode m : g.get("members")) {
              if (!members.containsKey(m.asText())) {
                throw new RegistryException(
                    where + ": member '" + m.asText() + "' is not in this file's members");
              }
              children.add(memberTask(taskNamesByVariant, suffix, members, m.asText(), where));
            }
          }
          if (g.has("groups")) {
            for (JsonNode sub : g.get("groups")) {
              String subName = sub.asText() + suffix;
              if (!groups.containsKey(subName)) {
                throw new RegistryException(
                    where + ": group '" + subName + "' must be defined before it is used");
              }
              children.add(subName);
            }
          }
          if (g.has("tasks")) {
            for (JsonNode t : g.get("tasks")) {
              String tn = t.asText();
              if (!tasks.containsKey(tn) && !groups.containsKey(tn)) {
                throw new RegistryException(where + ": unknown task or group '" + tn + "'");
              }
              children.add(tn);
            }
          }
          if (children.isEmpty()) {
            throw new RegistryException(where + ": group '" + name + "' lists no tasks");
          }
          String gname = name + suffix;
          if (tasks.containsKey(gname) || groups.containsKey(gname)) {
            throw new RegistryException(where + ": '" + gname + "' is defined twice");
          }
          groups.put(gname, new GroupSpec(gname, List.copyOf(children), file));
          if (!g.has("where") && !g.has("members") && !g.has("groups")) {
            break; // plain groups over named tasks are not repeated per variant
          }
        }
        i++;
      }
    }
  }

  private static String memberTask(
      Map<String, List<String>> byVariant,
      String suffix,
      Map<String, Map<String, String>> members,
      String member,
      String where) {
    List<String> names = byVariant.get(suffix);
    if (names == null) {
      throw new RegistryException(where + ": this file defines no tasks to group");
    }
    int idx = new ArrayList<>(members.keySet()).indexOf(member);
    return names.get(idx);
  }

  private static TaskSpec parseTask(
      JsonNode t,
      String suite,
      String member,
      Map<String, String> attrs,
      String where,
      String file) {
    checkKeys(
        t,
        where + ".task",
        "name",
        "lm_eval_name",
        "output_type",
        "dataset",
        "test_split",
        "fewshot_split",
        "num_fewshot",
        "prompt",
        "description",
        "target_delimiter",
        "fewshot_delimiter",
        "metrics",
        "text_field",
        "detokenizer",
        "version");
    String name = text(t, "name", where + ".task");
    String w = where + " (task " + name + ")";
    OutputType type = OutputType.parse(text(t, "output_type", w), w);
    JsonNode ds = t.get("dataset");
    if (ds == null || !ds.isObject() || !ds.hasNonNull("kind")) {
      throw new RegistryException(w + ": dataset must be a mapping with a 'kind'");
    }
    Map<String, String> dataset = new LinkedHashMap<>();
    ds.properties().forEach(e -> dataset.put(e.getKey(), e.getValue().asText()));
    List<String> metrics = new ArrayList<>();
    JsonNode ms = t.get("metrics");
    if (ms == null || !ms.isArray() || ms.isEmpty()) {
      throw new RegistryException(w + ": metrics must be a non-empty list");
    }
    Set<String> allowed =
        type == OutputType.MULTIPLE_CHOICE
            ? Set.of("acc", "acc_norm", "acc_bytes")
            : Set.of("word_perplexity", "byte_perplexity", "bits_per_byte", "token_perplexity");
    for (JsonNode m : ms) {
      if (!allowed.contains(m.asText())) {
        throw new RegistryException(
            w + ": metric '" + m.asText() + "' is not one of " + new java.util.TreeSet<>(allowed));
      }
      metrics.add(m.asText());
    }
    String prompt = t.hasNonNull("prompt") ? t.get("prompt").asText() : null;
    if (type == OutputType.MULTIPLE_CHOICE && !"mmlu".equals(prompt) && !"cloze".equals(prompt)) {
      throw new RegistryException(w + ": prompt must be 'mmlu' or 'cloze', got '" + prompt + "'");
    }
    String detok = t.hasNonNull("detokenizer") ? t.get("detokenizer").asText() : null;
    if (detok != null && !detok.equals("wikitext")) {
      throw new RegistryException(w + ": detokenizer must be 'wikitext', got '" + detok + "'");
    }
    int shots = t.has("num_fewshot") ? t.get("num_fewshot").asInt() : 0;
    if (shots < 0) {
      throw new RegistryException(w + ": num_fewshot must be >= 0");
    }
    return new TaskSpec(
        name,
        t.hasNonNull("lm_eval_name") ? t.get("lm_eval_name").asText() : name,
        suite,
        member,
        Map.copyOf(attrs),
        type,
        java.util.Collections.unmodifiableMap(dataset),
        text(t, "test_split", w),
        t.hasNonNull("fewshot_split") ? t.get("fewshot_split").asText() : null,
        shots,
        prompt,
        t.hasNonNull("description") ? t.get("description").asText() : "",
        t.hasNonNull("target_delimiter") ? t.get("target_delimiter").asText() : " ",
        t.hasNonNull("fewshot_delimiter") ? t.get("fewshot_delimiter").asText() : "\n\n",
        List.copyOf(metrics),
        t.hasNonNull("text_field") ? t.get("text_field").asText() : "text",
        detok,
        t.has("version") ? t.get("version").asDouble() : 1.0,
        file);
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

  private static void checkKeys(JsonNode node, String where, String... allowed) {
    if (node == null || !node.isObject()) {
      throw new RegistryException(where + ": expected a mapping");
    }
    List<String> ok = List.of(allowed);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!ok.contains(k)) {
        throw new RegistryException(where + ": unknown key '" + k + "' (allowed: " + ok + ")");
      }
    }
  }

  private static String text(JsonNode node, String key, String where) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull() || !v.isValueNode() || v.asText().isEmpty()) {
      throw new RegistryException(where + ": missing '" + key + "'");
    }
    return v.asText();
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
