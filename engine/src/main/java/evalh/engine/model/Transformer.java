package evalh.engine.model;

import evalh.engine.checkpoint.Architecture;
import evalh.engine.checkpoint.Architecture.Weight;
import evalh.engine.checkpoint.Checkpoint;
import evalh.engine.checkpoint.ModelConfig;
import evalh.engine.runtime.TensorRuntime;
import evalh.engine.runtime.TensorRuntime.Scope;
import evalh.engine.runtime.TensorRuntime.TargetScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The decoder forward pass of every supported family (Llama, Mistral, Qwen2, Qwen3, OLMo 2,
 * GPT-NeoX), written once against {@link TensorRuntime}. What differs per family is data from
 * {@link Architecture} and {@link ModelConfig}; a weight a family lacks is null, and a null norm is
 * the identity:
 *
 * <pre>
 * h = embed[ids]
 * per layer:
 *   x = norm(h; attnNorm)                         absent in OLMo 2 (x = h)
 *   q,k,v = x Wq,Wk,Wv (+b)                       GPT-NeoX: rows of its fused per-head
 *                                                 query_key_value, split once at load
 *   q,k = rmsnorm(q; qNorm), rmsnorm(k; kNorm)    OLMo 2: over the whole projection
 *   q,k,v = split into heads
 *   q,k = rmsnorm(q; qNorm), rmsnorm(k; kNorm)    Qwen3: over each head's D dims
 *   q,k = rope(q), rope(k)                        on the first R of D dims (GPT-NeoX: R = pct * D)
 *   a = norm(attention(q, k, v, mask) Wo (+b); attnOutNorm)     OLMo 2 norms the output
 *   sequential: h = h + a;  h = h + norm(mlp(norm(h; mlpNorm)); mlpOutNorm)
 *   parallel (GPT-NeoX use_parallel_residual): h = h + a + mlp(norm(h; mlpNorm))
 *   mlp(y) = down(silu(gate y) * up y)            GPT-NeoX: down(gelu(up y)), all with biases
 * logprobs = log_softmax(norm(h; finalNorm) lmHead^T)   only at the scored positions
 * </pre>
 *
 * norm is RMSNorm (weight) or, for GPT-NeoX, LayerNorm (weight and bias). Shapes: V vocab, H
 * hidden, N heads, K kv heads, D head dim, I intermediate.
 *
 * @param <T> the runtime's tensor handle
 */
public final class Transformer<T> implements ScoringModel {
  /** Upper bound of float32 logits materialised at once (rows x vocab): 32 Mi = 128 MiB. */
  static final long LOGIT_ELEMENTS_PER_CHUNK = 32L << 20;

  /** One decoder layer's weights; null where the family or config has none. */
  private record Layer<T>(
      T attnNorm, // [H]      input_layernorm (none in OLMo 2)
      T attnNormBias, // [H]      LayerNorm bias (GPT-NeoX)
      T wq, // [N*D, H]
      T bq, // [N*D]
      T wk, // [K*D, H]
      T bk, // [K*D]
      T wv, // [K*D, H]
      T bv, // [K*D]
      T qNorm, // [D] per head (Qwen3) or [N*D] whole (OLMo 2)
      T kNorm, // [D] per head (Qwen3) or [K*D] whole (OLMo 2)
      T wo, // [H, N*D]
      T bo, // [H]
      T attnOutNorm, // [H]      OLMo 2's post_attention_layernorm, on the attention output
      T mlpNorm, // [H]      pre-MLP norm (Llama's post_attention_layernorm)
      T mlpNormBias, // [H]      LayerNorm bias (GPT-NeoX)
      T gate, // [I, H]   SwiGLU gate (none in GPT-NeoX)
      T gateBias, // [I]
      T up, // [I, H]   GPT-NeoX: dense_h_to_4h
      T upBias, // [I]
      T down, // [H, I]   GPT-NeoX: dense_4h_to_h
      T downBias, // [H]
      T mlpOutNorm) {} // [H]      OLMo 2's post_feedforward_layernorm

  private final TensorRuntime<T> rt;
  private final ModelConfig cfg;
  private final Architecture family;
  private final T embed; // [V, H]
  private final List<Layer<T>> layers;
  private final T finalNorm; // [H]
  private final T finalNormBias; // [H] (GPT-NeoX)
  private final T lmHead; // [V, H], the embedding itself when tied
  private final Rope rope;

  private Transformer(
      TensorRuntime<T> rt,
      ModelConfig cfg,
      T embed,
      List<Layer<T>> layers,
      T finalNorm,
      T finalNormBias,
      T lmHead) {
    this.rt = rt;
    this.cfg = cfg;
    this.family = cfg.family();
    this.embed = embed;
    this.layers = layers;
    this.finalNorm = finalNorm;
    this.finalNormBias = finalNormBias;
    this.lmHead = lmHead;
    this.rope = new Rope(cfg);
  }

  /** Uploads every weight of a validated checkpoint to the runtime. */
  public static <T> Transformer<T> load(Checkpoint ckpt, TensorRuntime<T> rt) {
    ModelConfig c = ckpt.config();
    Architecture a = c.family();
    List<Layer<T>> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      Loader<T> w = new Loader<>(ckpt, rt, c, i);
      List<T> qkv = w.projections(Weight.QKV, Weight.Q, Weight.K, Weight.V);
      List<T> qkvBias = w.projections(Weight.QKV_BIAS, Weight.Q_BIAS, Weight.K_BIAS, Weight.V_BIAS);
      layers.add(
          new Layer<>(
              w.get(Weight.ATTN_NORM),
              w.get(Weight.ATTN_NORM_BIAS),
              qkv.get(0),
              qkvBias.get(0),
              qkv.get(1),
              qkvBias.get(1),
              qkv.get(2),
              qkvBias.get(2),
              w.get(Weight.Q_NORM),
              w.get(Weight.K_NORM),
              w.get(Weight.O),
              w.get(Weight.O_BIAS),
              w.get(Weight.ATTN_OUT_NORM),
              w.get(Weight.MLP_NORM),
              w.get(Weight.MLP_NORM_BIAS),
              w.get(Weight.GATE),
              w.get(Weight.GATE_BIAS),
              w.get(Weight.UP),
              w.get(Weight.UP_BIAS),
              w.get(Weight.DOWN),
              w.get(Weight.DOWN_BIAS),
              w.get(Weight.MLP_OUT_NORM)));
    }
    Loader<T> top = new Loader<>(ckpt, rt, c, 0);
    T embed = top.get(Weight.EMBED);
    T head = c.tieWordEmbeddings() ? embed : top.get(Weight.LM_HEAD);
    return new Transformer<>(
        rt, c, embed, layers, top.get(Weight.FINAL_NORM), top.get(Weight.FINAL_NORM_BIAS), head);
  }

  /** Uploads layer {@code layer}'s tensor of a role, or null when the checkpoint has none. */
  private record Loader<T>(Checkpoint ckpt, TensorRuntime<T> rt, ModelConfig c, int layer) {
    T get(Weight w) {
      String n = c.family().tensor(w, layer, c);
      return n == null ? null : rt.weight(ckpt.tensor(n));
    }

    /**
     * The q, k and v projections (or their biases; nulls when there are none): the stored fused
     * tensor split at load, where the family fuses them (GPT-NeoX), else the three stored ones.
     */
    List<T> projections(Weight fused, Weight q, Weight k, Weight v) {
      String n = c.family().tensor(fused, layer, c);
      if (n == null) {
        return Arrays.asList(get(q), get(k), get(v));
      }
      return FusedQkv.split(ckpt.tensor(n), c).stream().map(rt::weight).toList();
    }
  }

  public ModelConfig config() {
    return cfg;
  }

  /** Rows of the LM head scored at once so that rows x vocab stays under the logits budget. */
  public int headChunkRows() {
    return (int) Math.max(1, Math.min(8192, LOGIT_ELEMENTS_PER_CHUNK / cfg.vocabSize()));
  }

  /**
   * Scores a batch of rows that continue {@code prefix} (null: none): for every {@code (scoreAt,
   * target)} of every row, the float32 log-probability of the target and the argmax token,
   * flattened in row order. The rows' tokens follow the prefix (their positions start at its
   * length) and attend to its cached keys and values.
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
      T picked = norm(rt.rows(hidden, flat), finalNorm, finalNormBias);
      return rt.scoreTargets(picked, lmHead, targets, headChunkRows());
    }
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

  /**
   * Full log-softmax rows of one causal sequence at {@code positions}, scored with every vocabulary
   * id as a target (tests, small vocabularies).
   */
  public float[][] logSoftmaxAt(int[] ids, int[] positions) {
    PackedRow row = PackedRow.causal(ids, new int[0], new int[0]);
    int v = cfg.vocabSize();
    int[] at = new int[positions.length * v];
    int[] targets = new int[at.length];
    for (int i = 0; i < at.length; i++) {
      at[i] = positions[i / v];
      targets[i] = i % v;
    }
    TargetScores ts;
    try (Scope s = rt.scope()) {
      T hidden = forward(List.of(row), ids.length, null, null);
      T picked = norm(rt.rows(hidden, at), finalNorm, finalNormBias);
      ts = rt.scoreTargets(picked, lmHead, targets, headChunkRows());
    }
    float[][] out = new float[positions.length][v];
    for (int i = 0; i < at.length; i++) {
      out[i / v][i % v] = (float) ts.logprob()[i];
    }
    return out;
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
    T cos = rt.constant(rope.cos(pos), b, 1, len, rope.dim());
    T sin = rt.constant(rope.sin(pos), b, 1, len, rope.dim());
    int p = prefix == null ? 0 : prefix.length;
    T mask =
        rt.attentionMask(AttentionMask.allowed(rows, len, cfg.slidingWindow(), p), b, len, p + len);
    boolean whole = family.qkNorm() == Architecture.QkNorm.WHOLE;
    boolean perHead = family.qkNorm() == Architecture.QkNorm.PER_HEAD;
    for (int i = 0; i < layers.size(); i++) {
      Layer<T> l = layers.get(i);
      try (Scope s = rt.scope()) {
        T x = norm(h, l.attnNorm(), l.attnNormBias());
        T q = rt.linear(x, l.wq(), l.bq());
        T k = rt.linear(x, l.wk(), l.bk());
        T v = rt.splitHeads(rt.linear(x, l.wv(), l.bv()), cfg.numKvHeads(), d);
        q = rt.splitHeads(whole ? rmsNorm(q, l.qNorm()) : q, cfg.numHeads(), d);
        k = rt.splitHeads(whole ? rmsNorm(k, l.kNorm()) : k, cfg.numKvHeads(), d);
        q = rt.rope(perHead ? rmsNorm(q, l.qNorm()) : q, cos, sin);
        k = rt.rope(perHead ? rmsNorm(k, l.kNorm()) : k, cos, sin);
        if (capture != null) {
          capture.keys.add(rt.keep(k));
          capture.values.add(rt.keep(v));
        }
        T att =
            prefix == null
                ? rt.attention(q, k, v, mask)
                : rt.attention(q, prefix.keys.get(i), prefix.values.get(i), k, v, mask);
        T a = rt.linear(att, l.wo(), l.bo());
        a = norm(a, l.attnOutNorm(), null);
        if (cfg.parallelResidual()) {
          h = rt.add(rt.add(h, a), mlp(l, norm(h, l.mlpNorm(), l.mlpNormBias())));
        } else {
          h = rt.add(h, a);
          T m = norm(mlp(l, norm(h, l.mlpNorm(), l.mlpNormBias())), l.mlpOutNorm(), null);
          h = rt.add(h, m);
        }
        h = rt.keep(h);
      }
    }
    return h;
  }

  /** SwiGLU {@code down(silu(gate y) * up y)}, or GPT-NeoX's {@code down(gelu(up y))}. */
  private T mlp(Layer<T> l, T y) {
    T up = rt.linear(y, l.up(), l.upBias());
    T act =
        family.mlp() == Architecture.Mlp.GELU
            ? rt.gelu(up)
            : rt.swiglu(rt.linear(y, l.gate(), l.gateBias()), up);
    return rt.linear(act, l.down(), l.downBias());
  }

  /** The family's norm (RMSNorm, or LayerNorm with bias); the identity where there is none. */
  private T norm(T x, T weight, T bias) {
    if (weight == null) {
      return x;
    }
    return family.norm() == Architecture.Norm.LAYER
        ? rt.layerNorm(x, weight, bias, cfg.normEps())
        : rt.rmsNorm(x, weight, cfg.normEps());
  }

  /** q/k norms are RMSNorm in every family that has them. */
  private T rmsNorm(T x, T weight) {
    return rt.rmsNorm(x, weight, cfg.normEps());
  }
}
