package evalh.engine.model;

/**
 * One row of a forward batch: tokens with their RoPE positions and attention branches, and the
 * positions whose next-token distribution is scored.
 *
 * <p>Branch 0 is a shared prefix; tokens of branch {@code k > 0} see the shared prefix and the
 * earlier tokens of their own branch only. This lets several continuations of one context share a
 * single pass over the context (tree attention): MMLU's " A".." D" cost one forward of the prompt.
 *
 * @param tokens token ids in packed order
 * @param positions RoPE position of each token (a branch restarts right after the shared prefix)
 * @param branch 0 for shared tokens, k for the k-th continuation branch
 * @param scoreAt row-local index whose output predicts {@code targets[i]}
 * @param targets the token scored at {@code scoreAt[i]}
 */
public record PackedRow(int[] tokens, int[] positions, int[] branch, int[] scoreAt, int[] targets) {

  public int length() {
    return tokens.length;
  }

  /** A plain causal row: every token in one branch, positions 0..n-1. */
  public static PackedRow causal(int[] tokens, int[] scoreAt, int[] targets) {
    int[] pos = new int[tokens.length];
    for (int i = 0; i < pos.length; i++) {
      pos[i] = i;
    }
    return new PackedRow(tokens, pos, new int[tokens.length], scoreAt, targets);
  }
}
