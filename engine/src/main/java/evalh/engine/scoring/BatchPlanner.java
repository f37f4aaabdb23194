package evalh.engine.scoring;

import evalh.engine.model.PackedRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs token requests into forward rows and rows into batches. Requests with identical {@code
 * shared} tokens become branches of one row (one pass over the shared context). {@link TokenScorer}
 * batches the rows.
 */
public final class BatchPlanner {
  private BatchPlanner() {}

  /** Where request {@code request}'s continuation is scored inside a row. */
  public record Slot(int request, int firstTarget, int count) {}

  /** A row with the requests it answers; targets are in row order. */
  public record Row(PackedRow row, List<Slot> slots) {}

  /** Rows grouped into one forward batch. */
  public record Batch(List<Row> rows) {
    public int paddedTokens() {
      return rows.size() * rows.get(0).row().length();
    }

    public int realTokens() {
      return rows.stream().mapToInt(r -> r.row().length()).sum();
    }
  }

  private record Key(int[] tokens) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(tokens, k.tokens);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
      return Arrays.toString(tokens);
    }
  }

  /**
   * Builds rows of at most {@code maxRowTokens} tokens (a single request always fits, since its
   * input is at most max_length tokens).
   */
  public static List<Row> rows(List<TokenRequest> requests, int maxRowTokens) {
    Map<Key, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      groups.computeIfAbsent(new Key(requests.get(i).shared()), k -> new ArrayList<>()).add(i);
    }
    List<Row> rows = new ArrayList<>();
    for (var g : groups.entrySet()) {
      int[] shared = g.getKey().tokens();
      List<Integer> members = g.getValue();
      int start = 0;
      while (start < members.size()) {
        int len = shared.length;
        int end = start;
        while (end < members.size()) {
          int extra = requests.get(members.get(end)).continuation().length - 1;
          if (end > start && len + extra > maxRowTokens) {
            break;
          }
          len += extra;
          end++;
        }
        rows.add(pack(shared, requests, members.subList(start, end), len));
        start = end;
      }
    }
    return rows;
  }

  private static Row pack(
      int[] shared, List<TokenRequest> requests, List<Integer> members, int len) {
    int[] tokens = new int[len];
    int[] pos = new int[len];
    int[] branch = new int[len];
    int nTargets = members.stream().mapToInt(m -> requests.get(m).continuation().length).sum();
    int[] scoreAt = new int[nTargets];
    int[] targets = new int[nTargets];
    System.arraycopy(shared, 0, tokens, 0, shared.length);
    for (int i = 0; i < shared.length; i++) {
      pos[i] = i;
    }
    List<Slot> slots = new ArrayList<>();
    int at = shared.length;
    int t = 0;
    for (int b = 0; b < members.size(); b++) {
      int[] cont = requests.get(members.get(b)).continuation();
      slots.add(new Slot(members.get(b), t, cont.length));
      for (int j = 0; j < cont.length; j++) {
        scoreAt[t] = j == 0 ? shared.length - 1 : at + j - 1;
        targets[t++] = cont[j];
      }
      for (int j = 0; j < cont.length - 1; j++) {
        tokens[at + j] = cont[j];
        pos[at + j] = shared.length + j;
        branch[at + j] = b + 1;
      }
      at += cont.length - 1;
    }
    return new Row(new PackedRow(tokens, pos, branch, scoreAt, targets), slots);
  }
}
