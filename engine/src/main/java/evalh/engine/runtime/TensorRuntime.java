package evalh.engine.runtime;

import evalh.engine.checkpoint.TensorInfo;
import java.util.Map;

/**
 * The tensor operations the transformer forward pass is written against. Implementations decide
 * device, compute dtype and memory management; {@link evalh.engine.model.Transformer} decides what
 * to compute. Shapes in the docs: B batch, T tokens, H hidden, N heads, D head dim, R rotary dims.
 *
 * @param <T> the runtime's tensor handle
 */
public interface TensorRuntime<T> extends AutoCloseable {

  /** e.g. {@code cpu} or {@code cuda:0}. */
  String device();

  /** The compute dtype of weights and activations: {@code float32}, {@code bfloat16}, ... */
  String computeDtype();

  /** What happened to each stored dtype on upload, e.g. {@code BF16 -> bfloat16 (as stored)}. */
  Map<String, String> conversions();

  /** Which runtime and native library this is, for run metadata. */
  RuntimeInfo info();

  /** Uploads a stored weight, converting it to the compute dtype; lives until {@link #close}. */
  T weight(TensorInfo stored);

  /** Opens a scope: every tensor made until it is closed is freed by {@link Scope#close}. */
  Scope scope();

  /** Moves {@code t} out of the current scope into the enclosing one, so it survives the close. */
  T keep(T t);

  /** Int64 token ids of shape [rows, cols] from a row-major array. */
  T tokens(int[] ids, int rows, int cols);

  /** A float32-valued constant (converted to the compute dtype) of the given shape. */
  T constant(float[] data, long... shape);

  /** An additive attention mask [B, Tq, Tk] from row-major booleans: 0 where allowed, -inf else. */
  T attentionMask(boolean[] allowed, int batch, int queries, int keys);

  /** Prepends a shared prefix's keys or values [1, N, P, D] to every row of x [B, N, T, D]. */
  T withPrefix(T prefix, T x);

  /** Embedding lookup: table [V, H], ids [B, T] → [B, T, H]. */
  T embed(T table, T ids);

  /** {@code x W^T + b}; bias may be null. */
  T linear(T x, T weight, T bias);

  /** HF RMSNorm: {@code w * (x / sqrt(mean(x^2) + eps))}, statistics in float32. */
  T rmsNorm(T x, T weight, double eps);

  /**
   * HF LayerNorm over the last dim: {@code (x - mean) / sqrt(var + eps) * weight + bias},
   * statistics in float32; bias may be null.
   */
  T layerNorm(T x, T weight, T bias, double eps);

  /** [B, T, N*D] → [B, N, T, D]. */
  T splitHeads(T x, int heads, int headDim);

  /**
   * HF rotate_half RoPE on x [B, N, T, D]: cos/sin are [B, 1, T, R] with even R &lt;= D; the first
   * R dims of each head become {@code x*cos + rotate_half(x)*sin} (rotate_half over those R dims),
   * the remaining D-R pass through (R == D: the whole head, R &lt; D: GPT-NeoX's partial rotary).
   */
  T rope(T x, T cos, T sin);

  /**
   * Scaled dot-product attention with grouped KV heads (query head h reads KV head h / groups),
   * softmax in float32. q [B, Nq, T, D], k/v [B, Nkv, P+T, D] (P keys of a shared prefix first),
   * mask [B, T, P+T] → [B, T, Nq*D].
   */
  T attention(T q, T k, T v, T mask);

  /**
   * {@link #attention} of rows that continue a shared prefix: prefixK/prefixV [1, Nkv, P, D] are
   * the prefix's keys and values, seen by every row, k/v [B, Nkv, T, D] the rows' own; mask [B, T,
   * P+T] as for {@link #attention}. This default prepends the prefix to every row; a runtime may
   * instead run the rows' queries over the prefix keys and over their own keys as two attentions
   * merged by their log-sum-exp (cascade attention), which needs no copy of the prefix per row.
   */
  default T attention(T q, T prefixK, T prefixV, T k, T v, T mask) {
    return attention(q, withPrefix(prefixK, k), withPrefix(prefixV, v), mask);
  }

  /** {@code silu(gate) * up}. */
  T swiglu(T gate, T up);

  /** Exact (erf) GELU, HF's {@code "gelu"} activation. */
  T gelu(T x);

  T add(T a, T b);

  /** Rows of {@code x} [B, T, H] viewed as [B*T, H] at the given flat indices → [n, H]. */
  T rows(T x, int[] flatIndex);

  /**
   * Log-probabilities of {@code targets} under {@code logits = hidden head^T}, with the log-softmax
   * in float32 and the full-vocabulary logits materialised for at most {@code chunkRows} rows at a
   * time. hidden is [n, H], head is [V, H].
   */
  TargetScores scoreTargets(T hidden, T head, int[] targets, int chunkRows);

  /** Memory the next batches may use on this device, in bytes (free device or host memory). */
  long freeMemoryBytes();

  /** Free and total bytes of this runtime's GPU ({@code cudaMemGetInfo}), or null on the CPU. */
  default long[] deviceMemoryBytes() {
    return null;
  }

  /**
   * A copy of {@code x} on the host as float32 values in row-major order (pooled embeddings,
   * tests); {@code x} is not changed.
   */
  float[] toFloats(T x);

  @Override
  void close();

  /** A region of temporary tensors. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** Per-target results of {@link #scoreTargets}. */
  record TargetScores(double[] logprob, int[] argmax) {}

  /**
   * A runtime's identity for run metadata and cache keys.
   *
   * @param runtime {@code torch} (results of an evalh before issue 25 may say {@code djl})
   * @param libtorchPath the libtorch library loaded
   * @param libtorchVersion its version, e.g. {@code 2.10.0}
   * @param cuda whether that libtorch has CUDA
   * @param libtorchSource how it was found ({@code --torch}, python3, the bundled build)
   */
  record RuntimeInfo(
      String runtime,
      String libtorchPath,
      String libtorchVersion,
      boolean cuda,
      String libtorchSource) {}
}
