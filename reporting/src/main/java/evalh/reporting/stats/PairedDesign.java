package evalh.reporting.stats;

import java.util.List;

/**
 * Per-item data of two runs on the same items, for a paired bootstrap.
 *
 * <p>Items are grouped in strata (one per leaf task) that are resampled independently, so every
 * resample keeps each task's size. The metric of a run is the mean, over {@code children}, of
 * {@code aggregation(Σnum / Σden)} pooled over the child's strata: one child holding every stratum
 * gives a micro (size-weighted) value, one child per subtask a macro (unweighted) mean.
 *
 * @param strata per-item pairs of both runs
 * @param children indices into {@code strata}; each child is pooled, children are averaged
 * @param aggregation how a pooled ratio becomes the metric
 */
public record PairedDesign(List<Stratum> strata, List<int[]> children, Aggregation aggregation) {

  /**
   * One stratum: for item {@code i}, run A's pair {@code (numA[i], denA[i])} and run B's {@code
   * (numB[i], denB[i])}. For mean metrics the denominators are 1.
   */
  public record Stratum(double[] numA, double[] denA, double[] numB, double[] denB) {
    public Stratum {
      int n = numA.length;
      if (denA.length != n || numB.length != n || denB.length != n) {
        throw new IllegalArgumentException("stratum arrays differ in length");
      }
    }

    /** A stratum of per-item values (den = 1), such as 0/1 correctness. */
    public static Stratum ofValues(double[] a, double[] b) {
      double[] ones = new double[a.length];
      java.util.Arrays.fill(ones, 1.0);
      return new Stratum(a, ones, b, ones);
    }

    public int size() {
      return numA.length;
    }
  }

  public PairedDesign {
    strata = List.copyOf(strata);
    children = List.copyOf(children);
    if (strata.isEmpty() || strata.stream().anyMatch(s -> s.size() == 0)) {
      throw new IllegalArgumentException("every stratum needs at least one item");
    }
    for (int[] c : children) {
      for (int s : c) {
        if (s < 0 || s >= strata.size()) {
          throw new IllegalArgumentException("child refers to stratum " + s);
        }
      }
    }
  }

  /** Everything pooled: the micro value over all strata. */
  public static PairedDesign pooled(List<Stratum> strata, Aggregation aggregation) {
    int[] all = new int[strata.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return new PairedDesign(strata, List.of(all), aggregation);
  }

  /** The metric value given per-stratum sums of one run. */
  double value(double[] num, double[] den) {
    double total = 0;
    for (int[] child : children) {
      double n = 0;
      double d = 0;
      for (int s : child) {
        n += num[s];
        d += den[s];
      }
      total += aggregation.apply(n / d);
    }
    return total / children.size();
  }

  /** The observed metric value of run A ({@code runB = false}) or run B. */
  public double observed(boolean runB) {
    double[] num = new double[strata.size()];
    double[] den = new double[strata.size()];
    for (int s = 0; s < strata.size(); s++) {
      Stratum st = strata.get(s);
      double[] ns = runB ? st.numB() : st.numA();
      double[] ds = runB ? st.denB() : st.denA();
      for (int i = 0; i < st.size(); i++) {
        num[s] += ns[i];
        den[s] += ds[i];
      }
    }
    return value(num, den);
  }
}
