package evalh.decontam.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Llama 2 (Touvron et al. 2023, appendix A.6) contamination subsets by token coverage: clean
 * (coverage &lt; 20%), not clean (&ge; 20%), not dirty (&lt; 80%), dirty (&ge; 80%). The subsets
 * overlap: every item is in exactly two of them.
 */
public final class Llama2Buckets {
  public static final double CLEAN_BELOW = 0.20;
  public static final double DIRTY_FROM = 0.80;
  public static final List<String> NAMES = List.of("clean", "not_clean", "not_dirty", "dirty");

  private Llama2Buckets() {}

  public static List<String> of(double coverage) {
    List<String> out = new ArrayList<>(2);
    out.add(coverage < CLEAN_BELOW ? "clean" : "not_clean");
    out.add(coverage < DIRTY_FROM ? "not_dirty" : "dirty");
    return out;
  }
}
