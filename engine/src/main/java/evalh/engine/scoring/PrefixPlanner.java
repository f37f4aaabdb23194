package evalh.engine.scoring;

import evalh.engine.model.PackedRow;
import evalh.engine.scoring.BatchPlanner.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Finds rows that start with the same long token prefix (the few-shot block of a subject) so the
 * prefix runs once and its keys/values serve every row. Rows are sorted by their shared tokens;
 * consecutive rows join a cluster while their common prefix stays at least {@code minPrefix} tokens
 * and at least 3/4 of the cluster's current prefix (so one subject's block is not cut down to the
 * few tokens two subjects' prompts have in common).
 */
public final class PrefixPlanner {
  private PrefixPlanner() {}

  /** Rows continuing a common prefix; an empty prefix means the rows run as they are. */
  public record Cluster(int[] prefix, List<Row> rows) {}

  public static List<Cluster> clusters(List<Row> rows, int minPrefix) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(PrefixPlanner::shared, Arrays::compare));
    List<Cluster> out = new ArrayList<>();
    List<Row> loose = new ArrayList<>();
    int i = 0;
    while (i < sorted.size()) {
      int[] first = shared(sorted.get(i));
      int common = first.length - 1; // the last shared token scores the first target: keep it
      int j = i + 1;
      while (j < sorted.size()) {
        int[] next = shared(sorted.get(j));
        int l = Math.min(Math.min(common, next.length - 1), lcp(shared(sorted.get(j - 1)), next));
        if (l < minPrefix || 4L * l < 3L * common) {
          break;
        }
        common = l;
        j++;
      }
      if (j - i >= 2 && common >= minPrefix) {
        List<Row> cut = new ArrayList<>();
        for (Row r : sorted.subList(i, j)) {
          cut.add(new Row(cut(r.row(), common), r.slots()));
        }
        out.add(new Cluster(Arrays.copyOf(first, common), cut));
      } else {
        loose.addAll(sorted.subList(i, j));
      }
      i = j;
    }
    if (!loose.isEmpty()) {
      out.add(new Cluster(new int[0], loose));
    }
    return out;
  }

  /** The row's shared (branch 0) tokens, which come first. */
  static int[] shared(Row r) {
    int[] branch = r.row().branch();
    int n = 0;
    while (n < branch.length && branch[n] == 0) {
      n++;
    }
    return Arrays.copyOf(r.row().tokens(), n);
  }

  private static int lcp(int[] a, int[] b) {
    int m = Arrays.mismatch(a, b);
    return m < 0 ? a.length : m;
  }

  /** The row without its first {@code p} tokens; positions keep their values. */
  static PackedRow cut(PackedRow r, int p) {
    int n = r.length();
    int[] scoreAt = r.scoreAt().clone();
    for (int k = 0; k < scoreAt.length; k++) {
      scoreAt[k] -= p;
    }
    return new PackedRow(
        Arrays.copyOfRange(r.tokens(), p, n),
        Arrays.copyOfRange(r.positions(), p, n),
        Arrays.copyOfRange(r.branch(), p, n),
        scoreAt,
        r.targets());
  }
}
