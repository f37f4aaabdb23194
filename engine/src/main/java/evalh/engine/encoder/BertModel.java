package evalh.engine.encoder;

import evalh.engine.checkpoint.Checkpoint;
import evalh.engine.checkpoint.TensorInfo;
import evalh.engine.runtime.TensorRuntime;
import evalh.engine.runtime.TensorRuntime.Scope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * transformers' {@code BertModel} forward pass (eval mode), written against {@link TensorRuntime}:
 *
 * <pre>
 * h = LayerNorm(word[ids] + position[0..L-1] + token_type[0])
 * per layer (post-LN):
 *   q,k,v = split_heads(h Wq^T + bq), ...
 *   a = attention(q, k, v, padding mask) Wo^T + bo     bidirectional, scale 1/sqrt(D)
 *   h = LayerNorm(h + a)
 *   h = LayerNorm(h + gelu(h Wi^T + bi) Wout^T + bout) exact (erf) GELU
 * </pre>
 *
 * Rows are right-padded to the batch's longest: padding keys are masked out, padding queries see
 * the row's real keys (so no softmax row is empty) and their states are dropped. No pooler: the
 * sentence-transformers Pooling module reads the token states. Shapes: V vocab, H hidden, N heads,
 * D = H/N, I intermediate, P max positions.
 *
 * @param <T> the runtime's tensor handle
 */
public final class BertModel<T> {

  /** One encoder layer's weights. */
  private record Layer<T>(
      T wq, // [H, H]  attention.self.query.weight (N*D = H)
      T bq, // [H]
      T wk, // [H, H]  attention.self.key.weight
      T bk, // [H]
      T wv, // [H, H]  attention.self.value.weight
      T bv, // [H]
      T wo, // [H, H]  attention.output.dense.weight
      T bo, // [H]
      T attnNorm, // [H]  attention.output.LayerNorm.weight
      T attnNormBias, // [H]  attention.output.LayerNorm.bias
      T wi, // [I, H]  intermediate.dense.weight
      T bi, // [I]
      T wout, // [H, I]  output.dense.weight
      T bout, // [H]
      T mlpNorm, // [H]  output.LayerNorm.weight
      T mlpNormBias) {} // [H]  output.LayerNorm.bias

  private final TensorRuntime<T> rt;
  private final BertConfig cfg;
  private final T word; // [V, H]  embeddings.word_embeddings.weight
  private final T position; // [P, H]  embeddings.position_embeddings.weight
  private final T tokenType; // [types, H]  embeddings.token_type_embeddings.weight
  private final T embedNorm; // [H]  embeddings.LayerNorm.weight
  private final T embedNormBias; // [H]  embeddings.LayerNorm.bias
  private final List<Layer<T>> layers;

  private BertModel(TensorRuntime<T> rt, BertConfig cfg, Map<String, T> w) {
    this.rt = rt;
    this.cfg = cfg;
    this.word = w.get("embeddings.word_embeddings.weight");
    this.position = w.get("embeddings.position_embeddings.weight");
    this.tokenType = w.get("embeddings.token_type_embeddings.weight");
    this.embedNorm = w.get("embeddings.LayerNorm.weight");
    this.embedNormBias = w.get("embeddings.LayerNorm.bias");
    List<Layer<T>> ls = new ArrayList<>();
    for (int i = 0; i < cfg.layers(); i++) {
      String p = "encoder.layer." + i + ".";
      ls.add(
          new Layer<>(
              w.get(p + "attention.self.query.weight"),
              w.get(p + "attention.self.query.bias"),
              w.get(p + "attention.self.key.weight"),
              w.get(p + "attention.self.key.bias"),
              w.get(p + "attention.self.value.weight"),
              w.get(p + "attention.self.value.bias"),
              w.get(p + "attention.output.dense.weight"),
              w.get(p + "attention.output.dense.bias"),
              w.get(p + "attention.output.LayerNorm.weight"),
              w.get(p + "attention.output.LayerNorm.bias"),
              w.get(p + "intermediate.dense.weight"),
              w.get(p + "intermediate.dense.bias"),
              w.get(p + "output.dense.weight"),
              w.get(p + "output.dense.bias"),
              w.get(p + "output.LayerNorm.weight"),
              w.get(p + "output.LayerNorm.bias")));
    }
    this.layers = List.copyOf(ls);
  }

  /**
   * The tensors the forward pass reads, with the shapes {@code config.json} implies, in safetensors
   * names as sentence-transformers saves a BertModel (no {@code bert.} prefix).
   */
  public static Map<String, long[]> expectedTensors(BertConfig c) {
    long h = c.hidden();
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put("embeddings.word_embeddings.weight", new long[] {c.vocabSize(), h});
    m.put("embeddings.position_embeddings.weight", new long[] {c.maxPositions(), h});
    m.put("embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), h});
    m.put("embeddings.LayerNorm.weight", new long[] {h});
    m.put("embeddings.LayerNorm.bias", new long[] {h});
    for (int i = 0; i < c.layers(); i++) {
      String p = "encoder.layer." + i + ".";
      for (String n :
          List.of(
              "attention.self.query",
              "attention.self.key",
              "attention.self.value",
              "attention.output.dense")) {
        m.put(p + n + ".weight", new long[] {h, h});
        m.put(p + n + ".bias", new long[] {h});
      }
      m.put(p + "attention.output.LayerNorm.weight", new long[] {h});
      m.put(p + "attention.output.LayerNorm.bias", new long[] {h});
      m.put(p + "intermediate.dense.weight", new long[] {c.intermediate(), h});
      m.put(p + "intermediate.dense.bias", new long[] {c.intermediate()});
      m.put(p + "output.dense.weight", new long[] {h, c.intermediate()});
      m.put(p + "output.dense.bias", new long[] {h});
      m.put(p + "output.LayerNorm.weight", new long[] {h});
      m.put(p + "output.LayerNorm.bias", new long[] {h});
    }
    return m;
  }

  /**
   * Tensors a BertModel checkpoint may hold that the encoder does not read: the pooler (unused by
   * sentence-transformers' Pooling) and the position_ids buffer older transformers saved.
   */
  static boolean ignored(String name) {
    return name.startsWith("pooler.") || name.equals("embeddings.position_ids");
  }

  /**
   * Validates every tensor's name, shape and dtype against {@code cfg} (naming the file and the
   * tensor), then uploads the weights.
   */
  public static <T> BertModel<T> load(
      Path dir, BertConfig cfg, Map<String, TensorInfo> tensors, TensorRuntime<T> rt) {
    Map<String, long[]> expected = expectedTensors(cfg);
    Checkpoint.validateTensors(dir, expected, tensors, BertModel::ignored, "BertModel");
    Map<String, T> w = new LinkedHashMap<>();
    for (String name : expected.keySet()) {
      w.put(name, rt.weight(tensors.get(name)));
    }
    return new BertModel<>(rt, cfg, w);
  }

  public BertConfig config() {
    return cfg;
  }

  /**
   * The last layer's token states of each row, without padding: element r is row r's [L_r, H]
   * row-major (L_r = its length). Every id must be below V and every row at most P long.
   */
  public float[][] tokenStates(List<int[]> rows) {
    int b = rows.size();
    int len = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
    if (len == 0 || len > cfg.maxPositions()) {
      throw new IllegalArgumentException(
          "rows of 1.." + cfg.maxPositions() + " tokens expected, got " + len);
    }
    int[] ids = new int[b * len];
    int[] pos = new int[b * len];
    int[] types = new int[b * len];
    boolean[] allowed = new boolean[b * len * len];
    int real = 0;
    for (int r = 0; r < b; r++) {
      int[] row = rows.get(r);
      for (int i = 0; i < row.length; i++) {
        if (row[i] < 0 || row[i] >= cfg.vocabSize()) {
          throw new IllegalArgumentException(
              "token id " + row[i] + " is outside the vocabulary of " + cfg.vocabSize());
        }
      }
      System.arraycopy(row, 0, ids, r * len, row.length);
      for (int i = 0; i < len; i++) {
        pos[r * len + i] = i;
        for (int k = 0; k < row.length; k++) {
          allowed[(r * len + i) * len + k] = true;
        }
      }
      real += row.length;
    }
    int[] keepAt = new int[real];
    int k = 0;
    for (int r = 0; r < b; r++) {
      for (int i = 0; i < rows.get(r).length; i++) {
        keepAt[k++] = r * len + i;
      }
    }
    float[] flat;
    try (Scope s = rt.scope()) {
      T h =
          rt.add(
              rt.add(
                  rt.embed(word, rt.tokens(ids, b, len)),
                  rt.embed(position, rt.tokens(pos, b, len))),
              rt.embed(tokenType, rt.tokens(types, b, len)));
      h = rt.layerNorm(h, embedNorm, embedNormBias, cfg.layerNormEps());
      T mask = rt.attentionMask(allowed, b, len, len);
      for (Layer<T> l : layers) {
        try (Scope ls = rt.scope()) {
          h = rt.keep(layer(l, h, mask));
        }
      }
      flat = rt.toFloats(rt.rows(h, keepAt));
    }
    int hid = cfg.hidden();
    float[][] out = new float[b][];
    int at = 0;
    for (int r = 0; r < b; r++) {
      int n = rows.get(r).length * hid;
      out[r] = Arrays.copyOfRange(flat, at, at + n);
      at += n;
    }
    return out;
  }

  private T layer(Layer<T> l, T h, T mask) {
    int n = cfg.heads();
    int d = cfg.headDim();
    T q = rt.splitHeads(rt.linear(h, l.wq(), l.bq()), n, d);
    T k = rt.splitHeads(rt.linear(h, l.wk(), l.bk()), n, d);
    T v = rt.splitHeads(rt.linear(h, l.wv(), l.bv()), n, d);
    T a = rt.linear(rt.attention(q, k, v, mask), l.wo(), l.bo());
    h = rt.layerNorm(rt.add(a, h), l.attnNorm(), l.attnNormBias(), cfg.layerNormEps());
    T m = rt.linear(rt.gelu(rt.linear(h, l.wi(), l.bi())), l.wout(), l.bout());
    return rt.layerNorm(rt.add(m, h), l.mlpNorm(), l.mlpNormBias(), cfg.layerNormEps());
  }
}
