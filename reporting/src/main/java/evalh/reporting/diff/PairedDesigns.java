package evalh.reporting.diff;

import evalh.reporting.results.MetricKey;
import evalh.reporting.results.Run;
import evalh.reporting.results.SampleItem;
import evalh.reporting.results.TaskResult;
import evalh.reporting.results.TaskSamples;
import evalh.reporting.stats.Aggregation;
import evalh.reporting.stats.PairedDesign;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Pairs two runs' per-item samples for one task (or group) and metric, or says why they cannot be
 * paired. Pairing needs, for every leaf task: samples in both runs, the same doc_ids (and the same
 * doc_hash where logged), the metric as a per-item field, and per-item data that reproduce the
 * values in both results.json files.
 */
public final class PairedDesigns {
  /**
   * Why {@code samples} do not belong to the results.json beside them, or null when they do (or
   * when results.json records no provenance, as lm-eval's does not): evalh records the checkpoint
   * fingerprint and the task config hash in both, and a samples file left by another run into the
   * same directory differs in one of them.
   */
  static String foreign(Run run, String leaf, TaskSamples samples) {
    var r = run.results();
    if (r.taskHashes().isEmpty()) {
      return null;
    }
    String want = TaskSamples.provenanceKey(r.fingerprint().orElse(null), r.taskHashes().get(leaf));
    if (samples.provenance().equals(java.util.Set.of(want))) {
      return null;
    }
    return samples.file().getFileName()
        + " in "
        + run.label()
        + " belongs to another run (its checkpoint fingerprint or task config differs from"
        + " results.json)";
  }

  /** Relative tolerance when checking samples against results.json. */
  static final double REPRODUCE_TOLERANCE = 1e-6;

  private PairedDesigns() {}

  /**
   * The pairing, or the reason it is not possible.
   *
   * @param design the paired data (empty when not possible)
   * @param binary every per-item value is 0 or 1 and the metric is a pooled mean (McNemar applies)
   * @param discordant {@code {b, c}}: items right only under A, right only under B (binary only)
   * @param reason why pairing was not possible (empty when it was)
   */
  public record Outcome(
      Optional<PairedDesign> design, boolean binary, long[] discordant, String reason) {
    static Outcome no(String reason) {
      return new Outcome(Optional.empty(), false, new long[2], reason);
    }
  }

  /** Pairs {@code a} and {@code b} on {@code task}'s {@code metric}. */
  public static Outcome build(Run a, Run b, String task, MetricKey metric) {
    TaskResult ta = a.results().task(task).orElse(null);
    TaskResult tb = b.results().task(task).orElse(null);
    if (ta == null || tb == null) {
      return Outcome.no("task missing");
    }
    String field = metric.name();
    boolean macro = false;
    if (ta.group() && field.endsWith("_macro")) {
      field = field.substring(0, field.length() - "_macro".length());
      macro = true;
    }
    List<String> leaves = a.results().leaves(task);
    if (!new java.util.HashSet<>(leaves)
        .equals(new java.util.HashSet<>(b.results().leaves(task)))) {
      return Outcome.no("the runs' groups have different subtasks");
    }
    // children: lists of leaf indices, pooled inside, averaged across
    List<int[]> children = new ArrayList<>();
    if (macro) {
      for (String child : ta.subtasks()) {
        List<String> childLeaves = a.results().leaves(child);
        int[] idx = childLeaves.stream().mapToInt(leaves::indexOf).toArray();
        children.add(idx);
      }
    } else {
      children.add(java.util.stream.IntStream.range(0, leaves.size()).toArray());
    }

    List<PairedDesign.Stratum> strata = new ArrayList<>();
    Aggregation aggregation = null;
    boolean binary = true;
    long b10 = 0;
    long b01 = 0;
    for (String leaf : leaves) {
      Optional<TaskSamples> sa = a.samples(leaf);
      Optional<TaskSamples> sb = b.samples(leaf);
      if (sa.isEmpty() || sb.isEmpty()) {
        return Outcome.no(
            "no samples_" + leaf + ".jsonl in " + (sa.isEmpty() ? a.label() : b.label()));
      }
      String stale = foreign(a, leaf, sa.get());
      if (stale == null) {
        stale = foreign(b, leaf, sb.get());
      }
      if (stale != null) {
        return Outcome.no(stale);
      }
      Optional<SortedMap<Integer, SampleItem>> ia = sa.get().items(metric.filter());
      Optional<SortedMap<Integer, SampleItem>> ib = sb.get().items(metric.filter());
      if (ia.isEmpty() || ib.isEmpty()) {
        return Outcome.no("no samples for filter '" + metric.filter() + "' in " + leaf);
      }
      SortedMap<Integer, SampleItem> ma = ia.get();
      SortedMap<Integer, SampleItem> mb = ib.get();
      if (!ma.keySet().equals(mb.keySet())) {
        return Outcome.no(
            leaf
                + ": the runs' samples cover different doc_ids ("
                + ma.size()
                + " vs "
                + mb.size()
                + " items)");
      }
      int n = ma.size();
      double[] numA = new double[n];
      double[] denA = new double[n];
      double[] numB = new double[n];
      double[] denB = new double[n];
      int i = 0;
      for (Map.Entry<Integer, SampleItem> e : ma.entrySet()) {
        SampleItem x = e.getValue();
        SampleItem y = mb.get(e.getKey());
        if (x.docHash().isPresent()
            && y.docHash().isPresent()
            && !x.docHash().get().equals(y.docHash().get())) {
          return Outcome.no(leaf + ": doc_hash of doc_id " + e.getKey() + " differs (other data?)");
        }
        Double sx = x.scalars().get(field);
        Double sy = y.scalars().get(field);
        double[] px = x.pairs().get(field);
        double[] py = y.pairs().get(field);
        Aggregation itemAgg;
        if (sx != null && sy != null) {
          itemAgg = Aggregation.MEAN;
          numA[i] = sx;
          numB[i] = sy;
          denA[i] = 1;
          denB[i] = 1;
          boolean bx = sx == 0.0 || sx == 1.0;
          boolean by = sy == 0.0 || sy == 1.0;
          binary &= bx && by;
          if (sx == 1.0 && sy == 0.0) {
            b10++;
          } else if (sx == 0.0 && sy == 1.0) {
            b01++;
          }
        } else if (px != null && py != null) {
          Optional<Aggregation> agg = Aggregation.forPairMetric(field);
          if (agg.isEmpty()) {
            return Outcome.no("no known aggregation for per-item pairs '" + field + "'");
          }
          if (px[1] != py[1]) {
            return Outcome.no(
                leaf
                    + ": doc_id "
                    + e.getKey()
                    + " has "
                    + fmt(px[1])
                    + " vs "
                    + fmt(py[1])
                    + " units for "
                    + field
                    + " (other documents?)");
          }
          itemAgg = agg.get();
          numA[i] = px[0];
          denA[i] = px[1];
          numB[i] = py[0];
          denB[i] = py[1];
          binary = false;
        } else {
          return Outcome.no("no per-item field '" + field + "' in " + leaf + "'s samples");
        }
        if (aggregation != null && aggregation != itemAgg) {
          return Outcome.no("per-item field '" + field + "' mixes values and pairs");
        }
        aggregation = itemAgg;
        i++;
      }
      if (n == 0) {
        return Outcome.no(leaf + ": samples file has no items");
      }
      strata.add(new PairedDesign.Stratum(numA, denA, numB, denB));
    }
    PairedDesign design = new PairedDesign(strata, children, aggregation);
    Optional<String> mismatch = checkReproduces(design, false, ta.value(metric), a.label());
    if (mismatch.isEmpty()) {
      mismatch = checkReproduces(design, true, tb.value(metric), b.label());
    }
    if (mismatch.isPresent()) {
      return Outcome.no(mismatch.get());
    }
    boolean mcnemar = binary && !macro && aggregation == Aggregation.MEAN;
    return new Outcome(Optional.of(design), mcnemar, new long[] {b10, b01}, "");
  }

  private static Optional<String> checkReproduces(
      PairedDesign design, boolean runB, Optional<Double> reported, String label) {
    if (reported.isEmpty()) {
      return Optional.of("no reported value in " + label);
    }
    double fromSamples = design.observed(runB);
    double r = reported.get();
    if (Math.abs(fromSamples - r) > REPRODUCE_TOLERANCE * Math.max(1.0, Math.abs(r))) {
      return Optional.of(
          "samples of " + label + " give " + fmt(fromSamples) + ", results.json says " + fmt(r));
    }
    return Optional.empty();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
