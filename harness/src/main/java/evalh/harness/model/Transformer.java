package evalh.harness.model;

import evalh.harness.checkpoint.Checkpoint;
import evalh.harness.checkpoint.ModelConfig;
import evalh.harness.checkpoint.TensorInfo;
import evalh.harness.runtime.TensorRuntime;
import evalh.harness.runtime.TensorRuntime.Scope;
import evalh.harness.runtime.TensorRuntime.TargetScores;
import java.util.ArrayList;
import java.util.List;

/**
 * The Llama/Mistral/Qwen2 decoder forward pass, written once against {@link TensorRuntime}:
 *
 * <pre>
 * h = embed[ids]
 * per layer:  x = rmsnorm(h); q,k,v = x Wq,Wk,Wv (+b); q,k = rope(q,k)
 *             h = h + attention(q, k, v, mask) Wo
 *             x = rmsnorm(h); h = h + down(silu(gate x) * up x)
 * logprobs = log_softmax(rmsnorm(h) lm_head^T)   only at the scored positions
 * </pre>
 *
 * @param <T> the runtime's tensor handle
 */
public final class Transformer<T> implements ScoringModel {
  /** Upper bound of float32 logits materialised at once (rows x vocab): 32 Mi = 128 MiB. */
  static final long LOGIT_ELEMENTS_PER_CHUNK = 32L << 20;

  private record Layer<T>(
      T inNorm,
      T wq,
      T bq,
      T wk,
      T bk,
      T wv,
      T bv,
      T wo,
      T bo,
      T postNorm,
      T gate,
      T gateBias,
      T up,
      T upBias,
      T down,
      T downBias) {}

  private final TensorRuntime<T> rt;
  private final ModelConfig cfg;
  private final T embed;
  private final List<Layer<T>> layers;
  private final T finalNorm;
  private final T lmHead;
  private final Rope rope;

  private Transformer(
      TensorRuntime<T> rt, ModelConfig cfg, T embed, List<Layer<T>> layers, T finalNorm, T lmHead) {
    this.rt = rt;
    this.cfg = cfg;
    this.embed = embed;
    this.layers = layers;
    this.finalNorm = finalNorm;
    this.lmHead = lmHead;
    this.rope = new Rope(cfg);
  }

  /** Uploads every weight of a validated checkpoint to the runtime. */
  public static <T> Transformer<T> load(Checkpoint ckpt, TensorRuntime<T> rt) {
    ModelConfig c = ckpt.config();
    T embed = rt.weight(ckpt.tensor("model.embed_tokens.weight"));
    List<Layer<T>> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      layers.add(
          new Layer<>(
              w(rt, ckpt, p + "input_layernorm.weight", true),
              w(rt, ckpt, p + "self_attn.q_proj.weight", true),
              w(rt, ckpt, p + "self_attn.q_proj.bias", c.qkvBias()),
              w(rt, ckpt, p + "self_attn.k_proj.weight", true),
              w(rt, ckpt, p + "self_attn.k_proj.bias", c.qkvBias()),
              w(rt, ckpt, p + "self_attn.v_proj.weight", true),
              w(rt, ckpt, p + "self_attn.v_proj.bias", c.qkvBias()),
              w(rt, ckpt, p + "self_attn.o_proj.weight", true),
              w(rt, ckpt, p + "self_attn.o_proj.bias", c.oBias()),
              w(rt, ckpt, p + "post_attention_layernorm.weight", true),
              w(rt, ckpt, p + "mlp.gate_proj.weight", true),
              w(rt, ckpt, p + "mlp.gate_proj.bias", c.mlpBias()),
              w(rt, ckpt, p + "mlp.up_proj.weight", true),
              w(rt, ckpt, p + "mlp.up_proj.bias", c.mlpBias()),
              w(rt, ckpt, p + "mlp.down_proj.weight", true),
              w(rt, ckpt, p + "mlp.down_proj.bias", c.mlpBias())));
    }
    T norm = rt.weight(ckpt.tensor("model.norm.weight"));
    T head = c.tieWordEmbeddings() ? embed : rt.weight(ckpt.tensor("lm_head.weight"));
    return new Transformer<>(rt, c, embed, layers, norm, head);
  }

  private static <T> T w(TensorRuntime<T> rt, Checkpoint ckpt, String name, boolean present) {
    if (!present) {
      return null;
    }
    TensorInfo t = ckpt.tensor(name);
    return rt.weight(t);
  }

  public ModelConfig config() {
    return cfg;
  }

  /** Rows of the LM head scored at once so that rows x vocab stays under the logits budget. */
  public int headChunkRows() {
    return (int) Math.max(1, Math.min(8192, LOGIT_ELEMENTS_PER_CHUNK / cfg.vocabSize()));
  }

  /**
   * Scores a batch of rows: for every {@code (scoreAt, target)} of every row, the float32
   * log-probability of the target and the argmax token, flattened in row order.
   */
  public TargetScores score(List<PackedRow> rows) {
    return score(rows, null);
  }

  /**
   * Like {@link #score(List)}, with every row continuing {@code prefix}: the rows' tokens follow
   * the prefix (their positions start at its length) and attend to its cached keys and values.
   */
  @Override
  public TargetScores score(List<PackedRow> rows, Prefix prefix) {
    int b = rows.size();
    int len = rows.stream().mapToInt(PackedRow::length).max().orElseThrow();
    int n = rows.stream().mapToInt(r -> r.targets().length).sum();
    int[] flat = new int[n];
    int[] targets = new int[n];
    int k = 0;
    for (int r = 0; r < b; r++) {
      PackedRow row = rows.get(r);
      for (int i = 0; i < row.targets().length; i++) {
        flat[k] = r * len + row.scoreAt()[i];
        targets[k++] = row.targets()[i];
      }
    }
    try (Scope s = rt.scope()) {
      T hidden = forward(rows, len, cached(prefix), null);
      T picked = rt.rmsNorm(rt.rows(hidden, flat), finalNorm, cfg.rmsNormEps());
      return rt.scoreTargets(picked, lmHead, targets, headChunkRows());
    }
  }

  /** The keys and values of a token prefix, per layer, computed once and reused by many rows. */
  public interface Prefix extends AutoCloseable {
    /** Number of prefix tokens. */
    int length();

    @Override
    void close();
  }

  private final class CachedPrefix implements Prefix {
    final List<T> keys = new ArrayList<>();
    final List<T> values = new ArrayList<>();
    final int length;
    final Scope scope;

    CachedPrefix(int length, Scope scope) {
      this.length = length;
      this.scope = scope;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public void close() {
      scope.close();
    }
  }

  @SuppressWarnings("unchecked")
  private CachedPrefix cached(Prefix p) {
    return p == null ? null : (CachedPrefix) p;
  }

  /**
   * Runs {@code tokens} (positions 0..n-1) once and keeps every layer's rotated keys and values.
   * Close the result (after the rows that use it) to free them; prefixes nest like scopes.
   */
  @Override
  public Prefix prefill(int[] tokens) {
    CachedPrefix p = new CachedPrefix(tokens.length, rt.scope());
    try {
      forward(List.of(PackedRow.causal(tokens, new int[0], new int[0])), tokens.length, null, p);
      return p;
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }

  /** Full log-softmax rows of one causal sequence at {@code positions} (tests, small vocabs). */
  public float[][] logSoftmaxAt(int[] ids, int[] positions) {
    PackedRow row = PackedRow.causal(ids, new int[0], new int[0]);
    try (Scope s = rt.scope()) {
      T hidden = forward(List.of(row), ids.length, null, null);
      T picked = rt.rmsNorm(rt.rows(hidden, positions), finalNorm, cfg.rmsNormEps());
      return rt.logSoftmaxRows(picked, lmHead);
    }
  }

  /**
   * The final hidden states [B, len, H] (before the last norm) of the padded rows, which continue
   * {@code prefix} when it is not null. With {@code capture}, every layer's keys and values are
   * kept in the scope enclosing this call.
   */
  private T forward(List<PackedRow> rows, int len, CachedPrefix prefix, CachedPrefix capture) {
    int b = rows.size();
    int d = cfg.headDim();
    int[] ids = new int[b * len];
    int[] pos = new int[b * len];
    for (int r = 0; r < b; r++) {
      PackedRow row = rows.get(r);
      System.arraycopy(row.tokens(), 0, ids, r * len, row.length());
      System.arraycopy(row.positions(), 0, pos, r * len, row.length());
    }
    T h = rt.embed(embed, rt.tokens(ids, b, len));
    T cos = rt.constant(rope.cos(pos), b, 1, len, d);
    T sin = rt.constant(rope.sin(pos), b, 1, len, d);
    int p = prefix == null ? 0 : prefix.length;
    T mask =
        rt.attentionMask(AttentionMask.allowed(rows, len, cfg.slidingWindow(), p), b, len, p + len);
    double eps = cfg.rmsNormEps();
    for (int i = 0; i < layers.size(); i++) {
      Layer<T> l = layers.get(i);
      try (Scope s = rt.scope()) {
        T x = rt.rmsNorm(h, l.inNorm(), eps);
        T q = rt.rope(rt.splitHeads(rt.linear(x, l.wq(), l.bq()), cfg.numHeads(), d), cos, sin);
        T k = rt.rope(rt.splitHeads(rt.linear(x, l.wk(), l.bk()), cfg.numKvHeads(), d), cos, sin);
        T v = rt.splitHeads(rt.linear(x, l.wv(), l.bv()), cfg.numKvHeads(), d);
        if (capture != null) {
          capture.keys.add(rt.keep(k));
          capture.values.add(rt.keep(v));
        }
        if (prefix != null) {
          k = rt.withPrefix(prefix.keys.get(i), k);
          v = rt.withPrefix(prefix.values.get(i), v);
        }
        h = rt.add(h, rt.linear(rt.attention(q, k, v, mask), l.wo(), l.bo()));
        x = rt.rmsNorm(h, l.postNorm(), eps);
        T act = rt.swiglu(rt.linear(x, l.gate(), l.gateBias()), rt.linear(x, l.up(), l.upBias()));
        h = rt.keep(rt.add(h, rt.linear(act, l.down(), l.downBias())));
      }
    }
    return h;
  }
}
