package evalh.decontam.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.decontam.check.DocHit;
import evalh.decontam.paraphrase.Calibration;
import evalh.decontam.paraphrase.ParaphraseChecker;
import evalh.decontam.paraphrase.ParaphraseItem;
import evalh.decontam.paraphrase.ParaphraseMatch;
import evalh.decontam.paraphrase.WindowIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paraphrase pass in decontam.json (per item {@code paraphrase}, per task and in the summary
 * {@code paraphrase} counts with the threshold and its estimated false-positive rate, {@code
 * settings.paraphrase}) and in decontam.md (each suspect beside its best window).
 */
final class ParaphraseSection {
  static final int MD_SUSPECTS_PER_TASK = 50;

  private final ParaphraseChecker.Result result;
  private final Map<String, ParaphraseMatch> byItem = new HashMap<>();

  ParaphraseSection(ParaphraseChecker.Result result) {
    this.result = result;
    for (ParaphraseMatch m : result.matches()) {
      byItem.put(key(m.task(), m.docId()), m);
    }
  }

  private static String key(String task, int docId) {
    return task + "\u0000" + docId;
  }

  ParaphraseMatch match(String task, int docId) {
    return byItem.get(key(task, docId));
  }

  /** {@code "paraphrase": {"suspect", "score", "threshold", "windows": [...]}} of one item. */
  static ObjectNode item(ParaphraseMatch m) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("suspect", m.suspect());
    o.put("score", round(m.score()));
    o.put("threshold", round(m.threshold()));
    ArrayNode ws = o.putArray("windows");
    for (ParaphraseMatch.WindowHit h : m.windows()) {
      WindowIndex.WindowDoc w = h.window();
      ObjectNode d = ws.addObject();
      d.put("file", w.file());
      d.put(w.parquet() ? "row" : "line", w.position());
      if (w.byteOffset() >= 0) {
        d.put("byte_offset", w.byteOffset());
      }
      if (w.id() != null) {
        d.put("id", w.id());
      }
      d.put("window_offset", w.wordOffset());
      d.put("score", round(h.score()));
      if (!Double.isNaN(h.cosine())) {
        d.put("lexical", round(h.lexical()));
        d.put("cosine", round(h.cosine()));
      }
      d.put("snippet", w.text());
      ArrayNode hl = d.putArray("highlights");
      for (DocHit.Range r : h.highlights()) {
        hl.addArray().add(r.start()).add(r.end());
      }
    }
    return o;
  }

  /** A task's (or the summary's) {@code paraphrase} object. */
  ObjectNode counts(String task) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    long items = 0;
    long suspects = 0;
    for (ParaphraseMatch m : result.matches()) {
      if (task == null || m.task().equals(task)) {
        items++;
        suspects += m.suspect() ? 1 : 0;
      }
    }
    o.put("items", items);
    o.put("suspects", suspects);
    if (task != null) {
      Calibration c = result.calibrations().get(task);
      o.put("threshold", round(c.threshold()));
      o.put("threshold_source", c.source());
      putFinite(o, "estimated_fpr", c.estimatedFpr());
      o.put("null_items", c.nullItems());
      putFinite(o, "null_quantile", c.nullQuantile());
    } else {
      putFinite(o, "estimated_fpr", result.estimatedFpr());
    }
    return o;
  }

  ObjectNode settings() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ParaphraseChecker.Settings s = result.settings();
    o.put("candidates_per_item", s.topK());
    o.put("candidate_min_share", result.candidateMinShare());
    o.put("windows_shown", s.shown());
    o.put("target_fpr", s.targetFpr());
    if (!Double.isNaN(s.threshold())) {
      o.put("threshold", s.threshold());
    }
    o.put("threshold_floor", Calibration.FLOOR);
    o.put("null_items_per_task", s.minNullItems());
    o.put("windows_in_index", result.windows());
    if (result.encoder() != null) {
      o.put("encoder", result.encoder());
      o.put("combination", "(lexical + max(0, cosine)) / 2");
    }
    o.put(
        "score",
        "sum of idf-and-template weights of the item's question+answer terms found in the window"
            + " (prefix/containment matches half) / (sum of all weights + 2)");
    return o;
  }

  private static void putFinite(ObjectNode o, String k, double v) {
    if (Double.isNaN(v)) {
      o.putNull(k);
    } else {
      o.put(k, round(v));
    }
  }

  static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  /** The Markdown section: thresholds per task, then each suspect beside its best window. */
  void markdown(StringBuilder sb) {
    Map<String, String> questions = new HashMap<>();
    for (ParaphraseItem it : result.items()) {
      questions.put(key(it.task(), it.docId()), it.question() + " — answer: " + it.answer());
    }
    sb.append("## Paraphrase pass\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Each item's question and gold answer against a window index of %d windows; an item"
                + " whose best window scores above its task's threshold is a **suspect** (not clean"
                + " for `evalh run --decontam`). Estimated false-positive rate over all tasks:"
                + " %s per item (null items: other items' words drawn at random per task).%n%n",
            result.windows(),
            Double.isNaN(result.estimatedFpr())
                ? "not estimated"
                : String.format(Locale.ROOT, "%.4f", result.estimatedFpr())));
    sb.append("| task | items | suspects | threshold | from | estimated FPR |\n");
    sb.append("|---|---:|---:|---:|---|---:|\n");
    for (Map.Entry<String, Calibration> e : result.calibrations().entrySet()) {
      ObjectNode c = counts(e.getKey());
      Calibration cal = e.getValue();
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %.4f | %s | %s |%n",
              Markdown.escape(e.getKey()),
              c.path("items").asLong(),
              c.path("suspects").asLong(),
              cal.threshold(),
              cal.source(),
              Double.isNaN(cal.estimatedFpr())
                  ? "-"
                  : String.format(Locale.ROOT, "%.4f", cal.estimatedFpr())));
    }
    sb.append('\n');
    for (String task : result.calibrations().keySet()) {
      List<ParaphraseMatch> suspects = new ArrayList<>();
      for (ParaphraseMatch m : result.matches()) {
        if (m.task().equals(task) && m.suspect()) {
          suspects.add(m);
        }
      }
      if (suspects.isEmpty()) {
        continue;
      }
      suspects.sort((a, b) -> Double.compare(b.score(), a.score()));
      sb.append("### ").append(Markdown.escape(task)).append(": paraphrase suspects\n\n");
      sb.append("| doc | score | item (question; gold answer) | best window |\n");
      sb.append("|---:|---:|---|---|\n");
      int shown = 0;
      for (ParaphraseMatch m : suspects) {
        if (shown++ == MD_SUSPECTS_PER_TASK) {
          sb.append("\n… and ")
              .append(suspects.size() - MD_SUSPECTS_PER_TASK)
              .append(" more (see decontam.json)\n");
          break;
        }
        ParaphraseMatch.WindowHit h = m.windows().isEmpty() ? null : m.windows().get(0);
        String where =
            h == null
                ? ""
                : "`"
                    + h.window().file().replace("`", "'")
                    + (h.window().parquet() ? "` row " : "` line ")
                    + h.window().position()
                    + ", word "
                    + h.window().wordOffset()
                    + ": ";
        sb.append(
            String.format(
                Locale.ROOT,
                "| %d | %.3f | %s | %s%s |%n",
                m.docId(),
                m.score(),
                Markdown.escape(questions.getOrDefault(key(m.task(), m.docId()), "")),
                where,
                h == null ? "" : Markdown.highlight(h.window().text(), h.highlights())));
      }
      sb.append('\n');
    }
  }
}
