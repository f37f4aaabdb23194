package evalh.reporting.diff;

import evalh.reporting.results.MetricKey;
import evalh.reporting.results.RunResults;
import evalh.reporting.results.TaskResult;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The successes and trials behind a 0/1 metric (accuracy) of one task or group, recovered from
 * results.json alone: the value times the item count ({@code n-samples}, summed over a group's
 * leaves; {@code n_clean}/{@code n_dirty} for the decontaminated subsets). Only metrics that are a
 * plain proportion of items qualify; a macro average or a perplexity does not.
 */
record BinomialCounts(long k, long n) {
  private static final Set<String> PROPORTIONS = Set.of("acc", "acc_norm", "acc_bytes");

  /** Below this expected cell count the normal approximation is not trusted (Cochran). */
  private static final double MIN_EXPECTED = 5;

  static Optional<BinomialCounts> of(RunResults r, String task, MetricKey key) {
    String name = key.name();
    String subset = "";
    for (String s : new String[] {"_decontaminate", "_dirty"}) {
      if (name.endsWith(s)) {
        subset = s;
        name = name.substring(0, name.length() - s.length());
      }
    }
    if (!PROPORTIONS.contains(name)) {
      return Optional.empty();
    }
    Optional<TaskResult> t = r.task(task);
    Optional<Double> v = t.flatMap(x -> x.value(key));
    if (v.isEmpty() || !(v.get() >= 0 && v.get() <= 1)) {
      return Optional.empty();
    }
    OptionalLong n = trials(r, t.get(), subset);
    if (n.isEmpty() || n.getAsLong() < 1) {
      return Optional.empty();
    }
    double kd = v.get() * n.getAsLong();
    long k = Math.round(kd);
    if (Math.abs(kd - k) > 1e-6 * Math.max(1, n.getAsLong())) {
      return Optional.empty(); // not a count over n items (weighted or partial)
    }
    return Optional.of(new BinomialCounts(k, n.getAsLong()));
  }

  private static OptionalLong trials(RunResults r, TaskResult t, String subset) {
    if (!subset.isEmpty()) {
      Long c = t.counts().get(subset.equals("_dirty") ? "n_dirty" : "n_clean");
      return c == null ? OptionalLong.empty() : OptionalLong.of(c);
    }
    if (t.size().isPresent()) {
      return t.size();
    }
    long sum = 0;
    for (String leaf : r.leaves(t.name())) {
      OptionalLong s = r.task(leaf).map(TaskResult::size).orElse(OptionalLong.empty());
      if (s.isEmpty() || leaf.equals(t.name())) {
        return OptionalLong.empty();
      }
      sum += s.getAsLong();
    }
    return OptionalLong.of(sum);
  }

  /** Whether any expected cell of the 2x2 table is below {@value #MIN_EXPECTED}. */
  static boolean small(BinomialCounts a, BinomialCounts b) {
    double total = a.n + b.n;
    double successes = a.k + b.k;
    double failures = total - successes;
    for (long rows : new long[] {a.n, b.n}) {
      if (rows * successes / total < MIN_EXPECTED || rows * failures / total < MIN_EXPECTED) {
        return true;
      }
    }
    return false;
  }
}
