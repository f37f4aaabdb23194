package evalh.decontam.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.core.io.AtomicFiles;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.DocHit;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.check.Llama2Buckets;
import evalh.decontam.check.SkippedCheck;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.paraphrase.ParaphraseChecker;
import evalh.decontam.paraphrase.ParaphraseMatch;
import evalh.decontam.schema.DecontamJson;
import evalh.decontam.text.NgramScheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-item benchmark overlap report ({@code decontam.json}, schema {@value #SCHEMA}, and {@code
 * decontam.md}). Built from per-item {@link ItemMatch} facts only, so any producer of those facts
 * (this module's Lucene checker, a Spark job) yields the same report. See decontam/README.md for
 * the schema.
 */
public final class DecontamReport {
  public static final String SCHEMA = DecontamJson.SCHEMA;
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final int MD_DIRTY_ITEMS_PER_TASK = 25;

  private final ObjectNode root;
  private final String taskSpec;
  private final CorpusSource source;
  private final CheckSettings settings;
  private final List<String> unfinished;
  private final List<String> truncated;
  private final List<SkippedCheck> skipped;
  private final LabelCounts all;
  private final Map<String, List<ItemMatch>> byTask;
  private final Map<String, LabelCounts> taskCounts;
  private final Map<String, LabelCounts> groupCounts;
  private final Map<String, List<String>> groups;
  private final ParaphraseSection paraphrase;

  private DecontamReport(
      ObjectNode root,
      String taskSpec,
      CorpusSource source,
      CheckSettings settings,
      List<String> unfinished,
      List<String> truncated,
      List<SkippedCheck> skipped,
      LabelCounts all,
      Map<String, List<ItemMatch>> byTask,
      Map<String, LabelCounts> taskCounts,
      Map<String, LabelCounts> groupCounts,
      Map<String, List<String>> groups,
      ParaphraseSection paraphrase) {
    this.root = root;
    this.paraphrase = paraphrase;
    this.taskSpec = taskSpec;
    this.source = source;
    this.settings = settings;
    this.unfinished = unfinished;
    this.truncated = truncated;
    this.skipped = skipped;
    this.all = all;
    this.byTask = byTask;
    this.taskCounts = taskCounts;
    this.groupCounts = groupCounts;
    this.groups = groups;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where the checked items were read from ({@code benchmark_data} in decontam.json) and each
   * item's content hash ({@code content_hash}, {@link DecontamJson#itemHash}).
   *
   * @param source {@code --data-dir}, {@code EVALH_DATA}, {@code bundled sample} or {@code --items}
   * @param path the folder or file, null for the bundled sample
   * @param hashes per task, doc_id to content hash
   */
  public record CheckedData(String source, String path, Map<String, Map<Integer, String>> hashes) {
    public CheckedData {
      hashes = Map.copyOf(hashes);
    }
  }

  /** Collects metadata and item facts. */
  public static final class Builder {
    private String taskSpec = "";
    private CorpusSource source;
    private CheckSettings settings = CheckSettings.defaults();
    private List<String> unfinished = List.of();
    private CheckedData data;
    private List<String> truncated = List.of();
    private Map<String, FileStats> fileStats = Map.of();
    private final Map<String, List<String>> groups = new LinkedHashMap<>();
    private final Map<String, List<ItemMatch>> byTask = new LinkedHashMap<>();
    private final List<SkippedCheck> skipped = new ArrayList<>();
    private ParaphraseChecker.Result paraphrase;

    /** The paraphrase pass's verdicts ({@code decontam --paraphrase}), or null. */
    public Builder paraphrase(ParaphraseChecker.Result r) {
      this.paraphrase = r;
      return this;
    }

    public Builder taskSpec(String spec) {
      this.taskSpec = spec;
      return this;
    }

    /** What the items were checked against. */
    public Builder source(CorpusSource s) {
      this.source = s;
      return this;
    }

    /** Where the items came from, with their content hashes. */
    public Builder data(CheckedData d) {
      this.data = d;
      return this;
    }

    /** How they were checked. */
    public Builder settings(CheckSettings s) {
      this.settings = s;
      return this;
    }

    /**
     * Marks the report partial: checked against an index whose {@code unfinished} corpus files were
     * not fully indexed ({@code --allow-partial}); the summary says so.
     */
    public Builder partial(List<String> unfinished) {
      this.unfinished = List.copyOf(unfinished);
      return this;
    }

    /**
     * Marks the report partial: corpus files not read to their end ({@code path: problem}, with the
     * byte offset), accepted with {@code --allow-partial}.
     */
    public Builder truncated(List<String> files) {
      this.truncated = List.copyOf(files);
      return this;
    }

    /** Per corpus file: documents read, records skipped or malformed, truncation. */
    public Builder fileStats(Map<String, FileStats> stats) {
      this.fileStats = new java.util.TreeMap<>(stats);
      return this;
    }

    /** Checks that could not be made (a corpus file not readable where the items were checked). */
    public Builder skipped(List<SkippedCheck> s) {
      skipped.addAll(s);
      return this;
    }

    /** Declares a group and its leaf tasks. */
    public Builder group(String name, List<String> tasks) {
      groups.put(name, List.copyOf(tasks));
      return this;
    }

    public Builder add(ItemMatch m) {
      byTask.computeIfAbsent(m.task(), t -> new ArrayList<>()).add(m);
      return this;
    }

    public Builder addAll(List<ItemMatch> ms) {
      ms.forEach(this::add);
      return this;
    }

    public DecontamReport build() {
      if (source == null) {
        throw new IllegalStateException("the report needs the corpus source");
      }
      Map<String, LabelCounts> tc = new LinkedHashMap<>();
      byTask.forEach(
          (t, ms) -> {
            LabelCounts c = new LabelCounts();
            ms.forEach(c::add);
            tc.put(t, c);
          });
      Map<String, LabelCounts> gc = new LinkedHashMap<>();
      groups.forEach(
          (g, ts) -> {
            LabelCounts c = new LabelCounts();
            ts.stream().filter(tc::containsKey).forEach(t -> c.add(tc.get(t)));
            gc.put(g, c);
          });
      ParaphraseSection para = paraphrase == null ? null : new ParaphraseSection(paraphrase);
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.put("schema", SCHEMA);
      root.put("created", Instant.now().toString());
      root.put("task_spec", taskSpec);
      ObjectNode idx = source.toJson();
      if (!fileStats.isEmpty()) {
        idx.set("file_stats", JSON.valueToTree(fileStats));
      }
      root.set("index", idx);
      root.set("settings", settingsJson(settings));
      if (para != null) {
        ((ObjectNode) root.get("settings")).set("paraphrase", para.settings());
      }
      if (data != null) {
        ObjectNode bd = root.putObject(DecontamJson.BENCHMARK_DATA);
        bd.put("source", data.source());
        bd.put("path", data.path());
      }
      ArrayNode sk = root.putArray("skipped_checks");
      for (SkippedCheck s : skipped) {
        ObjectNode o = sk.addObject();
        ArrayNode cs = o.putArray("checks");
        s.checks().forEach(cs::add);
        o.put("file", s.file());
        o.put("reason", s.reason());
        o.put("items", s.items());
      }
      LabelCounts all = new LabelCounts();
      tc.values().forEach(all::add);
      ObjectNode summary = all.toJson();
      summary.put("partial", !unfinished.isEmpty() || !truncated.isEmpty());
      if (para != null) {
        summary.set("paraphrase", para.counts(null));
      }
      if (!unfinished.isEmpty()) {
        ArrayNode u = summary.putArray("unfinished_files");
        unfinished.forEach(u::add);
      }
      if (!truncated.isEmpty()) {
        ArrayNode u = summary.putArray("truncated_files");
        truncated.forEach(u::add);
      }
      root.set("summary", summary);
      ObjectNode gs = root.putObject("groups");
      gc.forEach(
          (g, c) -> {
            ObjectNode o = c.toJson();
            ArrayNode ts = o.putArray("tasks");
            groups.get(g).forEach(ts::add);
            gs.set(g, o);
          });
      ObjectNode tasks = root.putObject("tasks");
      byTask.forEach(
          (t, ms) -> {
            ObjectNode o = tc.get(t).toJson();
            if (para != null) {
              o.set("paraphrase", para.counts(t));
            }
            // clean: neither dirty nor a paraphrase suspect
            ArrayNode clean = o.putArray("clean_doc_ids");
            ms.stream()
                .filter(m -> !m.dirty() && !suspect(para, m))
                .forEach(m -> clean.add(m.docId()));
            ArrayNode items = o.putArray("items");
            Map<Integer, String> hs =
                data == null ? Map.of() : data.hashes().getOrDefault(t, Map.of());
            for (ItemMatch m : ms) {
              ObjectNode it = item(m);
              String h = hs.get(m.docId());
              if (h != null) {
                it.put(DecontamJson.CONTENT_HASH, h);
              }
              ParaphraseMatch pm = para == null ? null : para.match(m.task(), m.docId());
              if (pm != null) {
                it.set("paraphrase", ParaphraseSection.item(pm));
              }
              items.add(it);
            }
            tasks.set(t, o);
          });
      return new DecontamReport(
          root,
          taskSpec,
          source,
          settings,
          unfinished,
          truncated,
          List.copyOf(skipped),
          all,
          byTask,
          tc,
          gc,
          groups,
          para);
    }

    private static boolean suspect(ParaphraseSection para, ItemMatch m) {
      if (para == null) {
        return false;
      }
      ParaphraseMatch pm = para.match(m.task(), m.docId());
      return pm != null && pm.suspect();
    }
  }

  private static ObjectNode settingsJson(CheckSettings s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("boilerplate_cap", s.boilerplateCap());
    o.put("top_docs", s.topDocs());
    o.put("leak_docs", s.leakDocs());
    o.put("short_items_scanned", s.scanShortItems());
    o.put("llama2_clean_below", Llama2Buckets.CLEAN_BELOW);
    o.put("llama2_dirty_from", Llama2Buckets.DIRTY_FROM);
    o.put("checked_text", "question + newline-separated choices; gold answer checked separately");
    return o;
  }

  /**
   * The counts over all items, for a console line.
   *
   * @param percentDirty rounded to two decimals, as in the JSON
   */
  public record Summary(int items, int dirty, double percentDirty, int answerLeaks, int isShort) {}

  public Summary summary() {
    return new Summary(all.items, all.dirty, all.pct(all.dirty), all.answerLeak, all.isShort);
  }

  /** One item as it appears in {@code decontam.json} (every per-item fact and top document). */
  public static ObjectNode item(ItemMatch m) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("doc_id", m.docId());
    o.put("dirty", m.dirty());
    o.put("short", m.isShort());
    o.put("answer_leak", m.answerLeak());
    ArrayNode b = o.putArray("llama2");
    m.llama2Buckets().forEach(b::add);
    o.put("tokens", m.tokens());
    o.put("ngrams", m.ngrams());
    o.put("matched_ngrams", m.matchedNgrams());
    o.put("matched_ngrams_non_boilerplate", m.matchedNonBoilerplate());
    o.put("coverage", Math.round(m.coverage() * 1e6) / 1e6);
    o.put("longest_run", m.longestRun());
    o.put("max_doc_freq", m.maxDocFreq());
    if (m.isShort()) {
      o.put("whole_item_match", m.shortMatch());
    }
    ArrayNode docs = o.putArray("top_documents");
    for (DocHit h : m.topDocs()) {
      ObjectNode d = docs.addObject();
      d.put("file", h.file());
      d.put(h.parquet() ? "row" : "line", h.position());
      if (h.id() != null) {
        d.put("id", h.id());
      }
      d.put("matched_ngrams", h.matchedNgrams());
      if (h.snippet() != null) {
        d.put("snippet", h.snippet());
        ArrayNode hl = d.putArray("highlights");
        for (DocHit.Range r : h.highlights()) {
          hl.addArray().add(r.start()).add(r.end());
        }
      }
    }
    return o;
  }

  public ObjectNode json() {
    return root;
  }

  public String toJson() throws IOException {
    return JSON.writeValueAsString(root);
  }

  /** Human-readable report. */
  public String toMarkdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Benchmark decontamination: ").append(Markdown.escape(taskSpec)).append("\n\n");
    switch (source) {
      case CorpusSource.Index i -> sb.append("Index: `").append(i.path()).append("`");
      case CorpusSource.Scan s -> {
        // a scan (evalh decontam --engine spark --mode scan): no index, the corpus paths
        List<String> paths = new ArrayList<>();
        s.corpus().forEach(c -> paths.add("`" + c + "`"));
        sb.append("Corpus scan (")
            .append(Markdown.escape(s.engine()))
            .append("): ")
            .append(String.join(", ", paths));
      }
    }
    NgramScheme scheme = source.scheme();
    sb.append(" (")
        .append(source.documents())
        .append(" documents; normalization ")
        .append(scheme.normalization().id())
        .append(", n=")
        .append(scheme.n())
        .append(", stride=")
        .append(scheme.stride())
        .append(scheme.winnowed() ? ", winnowing window=" + scheme.window() : "")
        .append("). Boilerplate cap: n-grams in more than ")
        .append(settings.boilerplateCap())
        .append(" documents are ignored for `dirty`.\n\n");
    if (!unfinished.isEmpty()) {
      sb.append("**Partial index:** ")
          .append(unfinished.size())
          .append(" corpus file(s) were not fully indexed (an interrupted build, accepted with")
          .append(" `--allow-partial`); an item called clean here may still occur in them.\n\n");
    }
    if (!truncated.isEmpty()) {
      sb.append("**Partial corpus:** ")
          .append(truncated.size())
          .append(" corpus file(s) could not be read to the end (accepted with `--allow-partial`);")
          .append(" an item called clean here may still occur in the lost part:\n\n");
      for (String t : truncated) {
        sb.append("- `").append(t.replace("`", "'")).append("`\n");
      }
      sb.append('\n');
    }
    if (scheme.stride() > 1) {
      sb.append("Stride > 1: only shared runs of at least ")
          .append(scheme.guaranteedRun())
          .append(" tokens are guaranteed to be found; counts are lower bounds.\n\n");
    }
    if (scheme.winnowed()) {
      sb.append("Winnowed index: every document sharing a run of at least ")
          .append(scheme.guaranteedRun())
          .append(" tokens with an item is found, and the documents found are re-read and")
          .append(" re-counted, so counts are exact over them.\n\n");
    }
    if (!skipped.isEmpty()) {
      sb.append("**Skipped checks**: corpus files not readable where the items were checked; the")
          .append(" items keep their n-gram counts and labels, but these checks were not made in")
          .append(" these files (see `skipped_checks` in decontam.json):\n\n");
      for (SkippedCheck s : skipped) {
        List<String> checks = new ArrayList<>();
        s.checks().forEach(c -> checks.add("`" + c + "`"));
        sb.append("- ")
            .append(String.join(", ", checks))
            .append(" for ")
            .append(s.items())
            .append(" item(s): `")
            .append(s.file().replace("`", "'"))
            .append("` ")
            .append(Markdown.escape(s.reason()))
            .append('\n');
      }
      sb.append('\n');
    }
    sb.append(
        "| | items | dirty | clean | answer leak | short | Llama-2 clean | not clean | not dirty | Llama-2 dirty |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    groupCounts.forEach((g, c) -> row(sb, "**" + Markdown.escape(g) + "** (group)", c));
    taskCounts.forEach((t, c) -> row(sb, Markdown.escape(t), c));
    sb.append('\n');
    for (Map.Entry<String, List<ItemMatch>> e : byTask.entrySet()) {
      List<ItemMatch> dirty = e.getValue().stream().filter(ItemMatch::dirty).toList();
      if (dirty.isEmpty()) {
        continue;
      }
      sb.append("## ").append(Markdown.escape(e.getKey())).append(": dirty items\n\n");
      int shown = 0;
      for (ItemMatch m : dirty) {
        if (shown++ == MD_DIRTY_ITEMS_PER_TASK) {
          sb.append("… and ")
              .append(dirty.size() - MD_DIRTY_ITEMS_PER_TASK)
              .append(" more (see decontam.json)\n\n");
          break;
        }
        sb.append(
            String.format(
                Locale.ROOT,
                "- doc %d: %d/%d n-grams matched, coverage %.0f%%, longest run %d tokens, max df %d%s%s\n",
                m.docId(),
                m.matchedNgrams(),
                m.ngrams(),
                100 * m.coverage(),
                m.longestRun(),
                m.maxDocFreq(),
                m.answerLeak() ? ", **answer leak**" : "",
                m.isShort() ? ", short (whole-item match)" : ""));
        for (DocHit h : m.topDocs()) {
          sb.append("  - `")
              .append(h.file())
              .append(h.parquet() ? "` row " : "` line ")
              .append(h.position());
          if (h.id() != null) {
            sb.append(" id `").append(h.id().replace("`", "'")).append('`');
          }
          sb.append(" (").append(h.matchedNgrams()).append(" n-grams)");
          if (h.snippet() != null) {
            sb.append(": ").append(Markdown.highlight(h.snippet(), h.highlights()));
          }
          sb.append('\n');
        }
      }
      sb.append('\n');
    }
    if (paraphrase != null) {
      paraphrase.markdown(sb);
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, LabelCounts c) {
    sb.append("| ").append(name).append(" | ").append(c.items);
    sb.append(" | ").append(c.dirty).append(" (").append(c.pct(c.dirty)).append("%)");
    sb.append(" | ")
        .append(c.clean())
        .append(" | ")
        .append(c.answerLeak)
        .append(" | ")
        .append(c.isShort);
    for (String b : List.of("clean", "not_clean", "not_dirty", "dirty")) {
      sb.append(" | ").append(c.llama2.get(b));
    }
    sb.append(" |\n");
  }

  /** Writes decontam.json and decontam.md into {@code dir}, each atomically. */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.writeString(dir.resolve(DecontamJson.FILE_NAME), toJson());
    AtomicFiles.writeString(dir.resolve("decontam.md"), toMarkdown());
  }

  public Map<String, List<String>> groups() {
    return groups;
  }
}
