package evalh.harness.run;

import evalh.tasks.metrics.ChoiceMetrics;
import evalh.tasks.plan.TaskPlan;
import evalh.tasks.prompt.ChoicePrompt;
import evalh.tasks.prompt.PyStr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-item scores and metric values of one task. */
final class TaskScores {
  final TaskPlan plan;

  /** Per item, per choice (multiple choice) or one value (rolling): log-likelihoods. */
  final double[][] lls;

  final boolean[][] greedy;

  /** Multiple choice: metric name to per-item value (1.0/0.0). */
  final Map<String, double[]> itemMetrics = new LinkedHashMap<>();

  /** Rolling: per-document words, bytes, tokens. */
  final double[] words;

  final double[] bytes;
  final double[] tokens;

  /** Tokens scored for this task's requests (continuations / documents). */
  final long scoredTokens;

  private TaskScores(
      TaskPlan plan,
      double[][] lls,
      boolean[][] greedy,
      double[] words,
      double[] bytes,
      double[] tokens,
      long scoredTokens) {
    this.plan = plan;
    this.lls = lls;
    this.greedy = greedy;
    this.words = words;
    this.bytes = bytes;
    this.tokens = tokens;
    this.scoredTokens = scoredTokens;
  }

  static TaskScores of(TaskPlan plan, Scorer scorer) {
    int n = plan.size();
    double[][] lls = new double[n][];
    boolean[][] greedy = new boolean[n][];
    long scored = 0;
    switch (plan) {
      case TaskPlan.Choice c -> {
        for (int i = 0; i < n; i++) {
          ChoicePrompt p = c.prompts().get(i);
          int k = p.continuations().size();
          lls[i] = new double[k];
          greedy[i] = new boolean[k];
          for (int j = 0; j < k; j++) {
            RequestCache.Entry e = scorer.get(scorer.llKey(p.context(), p.continuations().get(j)));
            lls[i][j] = e.logprob();
            greedy[i][j] = e.greedy();
            scored += e.tokens();
          }
        }
        TaskScores s = new TaskScores(plan, lls, greedy, null, null, null, scored);
        for (String m : plan.spec().metrics()) {
          double[] v = new double[n];
          for (int i = 0; i < n; i++) {
            ChoicePrompt p = c.prompts().get(i);
            v[i] =
                switch (m) {
                  case "acc" -> ChoiceMetrics.acc(lls[i], p.gold());
                  case "acc_norm" -> ChoiceMetrics.accNorm(lls[i], p.choices(), p.gold());
                  case "acc_bytes" -> ChoiceMetrics.accBytes(lls[i], p.choices(), p.gold());
                  default -> throw new IllegalArgumentException("metric " + m);
                };
          }
          s.itemMetrics.put(m, v);
        }
        return s;
      }
      case TaskPlan.Rolling r -> {
        double[] words = new double[n];
        double[] bytes = new double[n];
        double[] toks = new double[n];
        for (int i = 0; i < n; i++) {
          RequestCache.Entry e = scorer.get(scorer.rollingKey(r.targets().get(i)));
          lls[i] = new double[] {e.logprob()};
          // lm-eval counts words and bytes on the original document (wikitext: the page before
          // detokenization); tokens are those the model scored.
          String original = r.docs().get(i).text();
          words[i] = PyStr.pythonSplitWordCount(original);
          bytes[i] = PyStr.utf8Length(original);
          toks[i] = e.tokens();
          scored += e.tokens();
        }
        return new TaskScores(plan, lls, greedy, words, bytes, toks, scored);
      }
    }
  }

  /** Rolling: the loglikelihoods as a flat array. */
  double[] docLogLikelihoods() {
    double[] out = new double[lls.length];
    for (int i = 0; i < lls.length; i++) {
      out[i] = lls[i][0];
    }
    return out;
  }

  List<String> metrics() {
    return plan.spec().metrics();
  }
}
