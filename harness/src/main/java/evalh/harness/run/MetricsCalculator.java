package evalh.harness.run;

import evalh.tasks.metrics.Stats;
import evalh.tasks.plan.TaskPlan;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Task metrics over a subset of items, and group metrics from their children, as lm-eval 0.4
 * aggregates them: a group's metric is the size-weighted mean of its children's (tasks or groups)
 * with lm-eval's pooled stderr ({@code aggregate_metric_list} with {@code weight_by_size: true});
 * evalh adds the unweighted mean over the group's leaf tasks as {@code <metric>_macro}.
 */
final class MetricsCalculator {
  private MetricsCalculator() {}

  /** {@code include[i]} selects item i (null: all items). */
  static SubsetMetrics task(TaskScores s, boolean[] include) {
    SubsetMetrics out = SubsetMetrics.empty();
    int n = s.plan.size();
    int[] idx = selected(n, include);
    if (idx.length == 0) {
      return out;
    }
    if (s.plan instanceof TaskPlan.Choice) {
      for (Map.Entry<String, double[]> e : s.itemMetrics.entrySet()) {
        double[] v = pick(e.getValue(), idx);
        out.values().put(e.getKey(), Stats.mean(v));
        out.stderrs().put(e.getKey(), Stats.meanStderr(v));
      }
    } else {
      double[] ll = pick(s.docLogLikelihoods(), idx);
      for (String m : s.metrics()) {
        double v =
            switch (m) {
              case "word_perplexity" -> Stats.weightedPerplexity(ll, pick(s.words, idx));
              case "byte_perplexity" -> Stats.weightedPerplexity(ll, pick(s.bytes, idx));
              case "bits_per_byte" -> Stats.bitsPerByte(ll, pick(s.bytes, idx));
              case "token_perplexity" -> Stats.weightedPerplexity(ll, pick(s.tokens, idx));
              default -> throw new IllegalArgumentException("metric " + m);
            };
        out.values().put(m, v);
        out.stderrs().put(m, Double.NaN);
      }
    }
    return new SubsetMetrics(
        idx.length, out.values(), out.stderrs(), out.macro(), out.macroStderrs());
  }

  /**
   * @param children the group's direct children (tasks or groups), their metrics on this subset
   * @param leaves the group's leaf tasks, their metrics on this subset
   */
  static SubsetMetrics group(List<SubsetMetrics> children, List<SubsetMetrics> leaves) {
    SubsetMetrics out = SubsetMetrics.empty();
    List<SubsetMetrics> kids = children.stream().filter(c -> c.n() > 0).toList();
    int n = 0;
    for (SubsetMetrics c : kids) {
      n += c.n();
    }
    for (String m : metricNames(kids)) {
      List<SubsetMetrics> having = kids.stream().filter(c -> c.values().containsKey(m)).toList();
      double[] vals = new double[having.size()];
      double[] sizes = new double[having.size()];
      double[] ses = new double[having.size()];
      boolean na = false;
      for (int i = 0; i < having.size(); i++) {
        vals[i] = having.get(i).values().get(m);
        sizes[i] = having.get(i).n();
        ses[i] = having.get(i).stderrs().getOrDefault(m, Double.NaN);
        na |= Double.isNaN(ses[i]);
      }
      out.values().put(m, Stats.aggregateSubtasks(vals, sizes, true));
      out.stderrs().put(m, na ? Double.NaN : Stats.pooledSampleStderr(ses, sizes));
    }
    List<SubsetMetrics> ls = leaves.stream().filter(c -> c.n() > 0).toList();
    for (String m : metricNames(ls)) {
      List<SubsetMetrics> having = ls.stream().filter(c -> c.values().containsKey(m)).toList();
      double[] vals = new double[having.size()];
      double[] ses = new double[having.size()];
      boolean na = false;
      for (int i = 0; i < having.size(); i++) {
        vals[i] = having.get(i).values().get(m);
        ses[i] = having.get(i).stderrs().getOrDefault(m, Double.NaN);
        na |= Double.isNaN(ses[i]);
      }
      out.macro().put(m, Stats.mean(vals));
      out.macroStderrs().put(m, na ? Double.NaN : Stats.macroStderr(ses));
    }
    return new SubsetMetrics(n, out.values(), out.stderrs(), out.macro(), out.macroStderrs());
  }

  private static Set<String> metricNames(List<SubsetMetrics> xs) {
    Set<String> names = new LinkedHashSet<>();
    for (SubsetMetrics x : xs) {
      names.addAll(x.values().keySet());
    }
    return names;
  }

  private static int[] selected(int n, boolean[] include) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (include == null || include[i]) {
        l.add(i);
      }
    }
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double[] pick(double[] v, int[] idx) {
    double[] out = new double[idx.length];
    for (int i = 0; i < idx.length; i++) {
      out[i] = v[idx[i]];
    }
    return out;
  }
}
