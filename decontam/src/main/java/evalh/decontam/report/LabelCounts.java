package evalh.decontam.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.check.Llama2Buckets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Counts and percentages of every label over a set of items (a task or a group). */
final class LabelCounts {
  int items;
  int dirty;
  int answerLeak;
  int isShort;
  final Map<String, Integer> llama2 = new LinkedHashMap<>();

  LabelCounts() {
    for (String b : Llama2Buckets.NAMES) {
      llama2.put(b, 0);
    }
  }

  void add(ItemMatch m) {
    items++;
    if (m.dirty()) {
      dirty++;
    }
    if (m.answerLeak()) {
      answerLeak++;
    }
    if (m.isShort()) {
      isShort++;
    }
    for (String b : m.llama2Buckets()) {
      llama2.merge(b, 1, Integer::sum);
    }
  }

  void add(LabelCounts o) {
    items += o.items;
    dirty += o.dirty;
    answerLeak += o.answerLeak;
    isShort += o.isShort;
    o.llama2.forEach((k, v) -> llama2.merge(k, v, Integer::sum));
  }

  int clean() {
    return items - dirty;
  }

  double pct(int k) {
    return items == 0 ? 0.0 : Math.round(10000.0 * k / items) / 100.0;
  }

  ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("n_items", items);
    o.put("n_dirty", dirty);
    o.put("n_clean", clean());
    o.put("n_answer_leak", answerLeak);
    o.put("n_short", isShort);
    ObjectNode l = o.putObject("llama2");
    llama2.forEach(l::put);
    ObjectNode p = o.putObject("percent");
    p.put("dirty", pct(dirty));
    p.put("clean", pct(clean()));
    p.put("answer_leak", pct(answerLeak));
    p.put("short", pct(isShort));
    llama2.forEach((k, v) -> p.put("llama2_" + k, pct(v)));
    return o;
  }
}
