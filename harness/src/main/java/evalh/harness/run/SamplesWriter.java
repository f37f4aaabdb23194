package evalh.harness.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.tasks.output.PyJson;
import evalh.tasks.output.PyRepr;
import evalh.tasks.plan.TaskPlan;
import evalh.tasks.prompt.ChoicePrompt;
import evalh.tasks.template.PyValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Writes {@code samples_<task>.jsonl} in lm-eval's {@code --log_samples} schema (as its
 * EvaluationTracker saves it): {@code arguments} as {@code gen_args_i/arg_j}, {@code resps} and
 * {@code filtered_resps} with values as Python {@code str()} of the (loglikelihood, is_greedy)
 * tuples, {@code doc_hash}/{@code prompt_hash}/{@code target_hash} as sha256 of {@code
 * json.dumps(doc, indent=2, ensure_ascii=False)}, the first prompt, and {@code str(target)}.
 */
final class SamplesWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SamplesWriter() {}

  /**
   * What run a samples file belongs to: the checkpoint fingerprint and the task config hash, also
   * recorded in results.json ({@code evalh.checkpoint_fingerprint}, {@code evalh.task_hashes}).
   */
  record Provenance(String checkpointFingerprint, String taskHash) {}

  static void write(OutputStore store, Path file, TaskScores s, boolean[] dirty, Provenance prov)
      throws IOException {
    store.write(
        file,
        out -> {
          for (int i = 0; i < s.plan.size(); i++) {
            ObjectNode o = sample(s, i, dirty);
            o.put("checkpoint_fingerprint", prov.checkpointFingerprint());
            o.put("task_hash", prov.taskHash());
            out.write(JSON.writeValueAsBytes(o));
            out.write('\n');
          }
        });
  }

  static ObjectNode sample(TaskScores s, int i, boolean[] dirty) {
    ObjectNode o = JSON.createObjectNode();
    o.put("doc_id", s.plan.docId(i));
    switch (s.plan) {
      case TaskPlan.Choice c -> {
        Map<String, Object> doc = c.docs().get(i).fields();
        ChoicePrompt p = c.prompts().get(i);
        o.set("doc", JSON.valueToTree(doc));
        if (p.target() instanceof Long n) {
          o.put("target", n);
        } else {
          o.put("target", (String) p.target());
        }
        ObjectNode args = o.putObject("arguments");
        ArrayNode resps = o.putArray("resps");
        ArrayNode filtered = o.putArray("filtered_resps");
        for (int j = 0; j < p.continuations().size(); j++) {
          ObjectNode a = args.putObject("gen_args_" + j);
          a.put("arg_0", p.context());
          a.put("arg_1", p.continuations().get(j));
          ArrayNode pair = JSON.createArrayNode();
          pair.add(PyRepr.floatRepr(s.lls[i][j]));
          pair.add(s.greedy[i][j] ? "True" : "False");
          resps.addArray().add(pair);
          filtered.add(pair.deepCopy());
        }
        o.put("filter", "none");
        ArrayNode ms = o.putArray("metrics");
        s.metrics().forEach(ms::add);
        o.put("doc_hash", sha256(PyJson.dumpsIndent2(doc)));
        o.put("prompt_hash", sha256(p.context()));
        o.put("target_hash", sha256(PyValues.str(p.target())));
        for (Map.Entry<String, double[]> e : s.itemMetrics.entrySet()) {
          o.put(e.getKey(), e.getValue()[i]);
        }
      }
      case TaskPlan.Rolling r -> {
        Map<String, Object> doc = r.docs().get(i).doc();
        String target = r.targets().get(i);
        o.set("doc", JSON.valueToTree(doc));
        o.put("target", target);
        o.putObject("arguments").putObject("gen_args_0").put("arg_0", target);
        String ll = PyRepr.floatRepr(s.lls[i][0]);
        o.putArray("resps").addArray().add(ll);
        o.putArray("filtered_resps").add(ll);
        o.put("filter", "none");
        ArrayNode ms = o.putArray("metrics");
        s.metrics().forEach(ms::add);
        o.put("doc_hash", sha256(PyJson.dumpsIndent2(doc)));
        o.put("prompt_hash", sha256(target));
        o.put("target_hash", sha256(target));
        for (String m : s.metrics()) {
          ArrayNode pair = o.putArray(m);
          pair.add(s.lls[i][0]);
          switch (m) {
            case "word_perplexity" -> pair.add((long) s.words[i]);
            case "token_perplexity" -> pair.add((long) s.tokens[i]);
            default -> pair.add((long) s.bytes[i]);
          }
        }
      }
    }
    if (dirty != null) {
      o.put("dirty", dirty[i]);
    }
    return o;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
