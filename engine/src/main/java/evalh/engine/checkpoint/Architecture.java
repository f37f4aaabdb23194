package evalh.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoder families evalh runs, and everything that differs between them, as data: the HF tensor
 * names, the config.json keys (with transformers' defaults), and the few layout choices the one
 * forward pass in {@code evalh.engine.model.Transformer} branches on (norm kind, q/k-norm scope,
 * MLP kind). Where the norms sit (before each sublayer, or OLMo 2's on each sublayer's output) and
 * whether q/k/v are fused (GPT-NeoX) follow from which tensor names a family's table has.
 * Config-dependent choices (biases, rotary fraction, parallel residual) are resolved here into
 * {@link ModelConfig}.
 *
 * <p>HF sources followed: {@code modeling_llama.py}, {@code modeling_mistral.py}, {@code
 * modeling_qwen2.py}, {@code modeling_qwen3.py}, {@code modeling_olmo2.py}, {@code
 * modeling_gpt_neox.py} and their configuration classes (transformers 4.46-4.55).
 */
public enum Architecture {
  /** Llama 1-3: pre-norm RMSNorm, SwiGLU. Keys: attention_bias, mlp_bias, head_dim. */
  LLAMA("LlamaForCausalLM", Names.LLAMA, Norm.RMS, QkNorm.NONE, Mlp.SWIGLU),
  /** Mistral: Llama plus one {@code sliding_window} for every layer. */
  MISTRAL("MistralForCausalLM", Names.LLAMA, Norm.RMS, QkNorm.NONE, Mlp.SWIGLU),
  /** Qwen2: Llama with q/k/v biases always (no config key), no o_proj/MLP bias. */
  QWEN2("Qwen2ForCausalLM", Names.LLAMA, Norm.RMS, QkNorm.NONE, Mlp.SWIGLU),
  /** Qwen3: Llama plus RMSNorm of each head's q and k before RoPE; explicit head_dim. */
  QWEN3("Qwen3ForCausalLM", Names.QWEN3, Norm.RMS, QkNorm.PER_HEAD, Mlp.SWIGLU),
  /**
   * OLMo 2: no input norms; RMSNorm of the whole q and k projections; each sublayer's output is
   * normed before the residual add.
   */
  OLMO2("Olmo2ForCausalLM", Names.OLMO2, Norm.RMS, QkNorm.WHOLE, Mlp.SWIGLU),
  /**
   * GPT-NeoX / Pythia: LayerNorm with bias, fused per-head q/k/v, partial rotary, exact GELU MLP
   * with biases, parallel or sequential residual.
   */
  GPT_NEOX("GPTNeoXForCausalLM", Names.GPT_NEOX, Norm.LAYER, QkNorm.NONE, Mlp.GELU);

  /** RMSNorm (weight only) or LayerNorm (weight and bias, mean subtracted). */
  public enum Norm {
    RMS,
    LAYER
  }

  /** Whether q and k are RMS-normed, and over what: each head's D dims, or the whole projection. */
  public enum QkNorm {
    NONE,
    PER_HEAD,
    WHOLE
  }

  /** {@code down(silu(gate x) * up x)}, or {@code down(gelu(up x))} with the exact erf GELU. */
  public enum Mlp {
    SWIGLU,
    GELU
  }

  /**
   * A weight's role in the forward pass. Every role with a name in a family's table is loaded;
   * biases only where the config enables them.
   */
  public enum Weight {
    EMBED,
    ATTN_NORM,
    ATTN_NORM_BIAS,
    QKV,
    QKV_BIAS,
    Q,
    Q_BIAS,
    K,
    K_BIAS,
    V,
    V_BIAS,
    Q_NORM,
    K_NORM,
    O,
    O_BIAS,
    ATTN_OUT_NORM,
    MLP_NORM,
    MLP_NORM_BIAS,
    GATE,
    GATE_BIAS,
    UP,
    UP_BIAS,
    DOWN,
    DOWN_BIAS,
    MLP_OUT_NORM,
    FINAL_NORM,
    FINAL_NORM_BIAS,
    LM_HEAD;

    boolean perLayer() {
      return this != EMBED && this != FINAL_NORM && this != FINAL_NORM_BIAS && this != LM_HEAD;
    }
  }

  private final String hfName;
  private final Map<Weight, String> names;
  private final Norm norm;
  private final QkNorm qkNorm;
  private final Mlp mlp;

  Architecture(String hfName, Map<Weight, String> names, Norm norm, QkNorm qkNorm, Mlp mlp) {
    this.hfName = hfName;
    this.names = names;
    this.norm = norm;
    this.qkNorm = qkNorm;
    this.mlp = mlp;
  }

  /** The {@code architectures[0]} string of config.json. */
  public String hfName() {
    return hfName;
  }

  public Norm norm() {
    return norm;
  }

  public QkNorm qkNorm() {
    return qkNorm;
  }

  public Mlp mlp() {
    return mlp;
  }

  /** The family whose {@code architectures[0]} is {@code name}, or null. */
  public static Architecture byHfName(String name) {
    for (Architecture a : values()) {
      if (a.hfName.equals(name)) {
        return a;
      }
    }
    return null;
  }

  /** HF tensor names per role; {@code {i}} is the layer index. One table per family. */
  private static final class Names {
    static final Map<Weight, String> LLAMA =
        table(
            Weight.EMBED, "model.embed_tokens.weight",
            Weight.ATTN_NORM, "model.layers.{i}.input_layernorm.weight",
            Weight.Q, "model.layers.{i}.self_attn.q_proj.weight",
            Weight.Q_BIAS, "model.layers.{i}.self_attn.q_proj.bias",
            Weight.K, "model.layers.{i}.self_attn.k_proj.weight",
            Weight.K_BIAS, "model.layers.{i}.self_attn.k_proj.bias",
            Weight.V, "model.layers.{i}.self_attn.v_proj.weight",
            Weight.V_BIAS, "model.layers.{i}.self_attn.v_proj.bias",
            Weight.O, "model.layers.{i}.self_attn.o_proj.weight",
            Weight.O_BIAS, "model.layers.{i}.self_attn.o_proj.bias",
            Weight.MLP_NORM, "model.layers.{i}.post_attention_layernorm.weight",
            Weight.GATE, "model.layers.{i}.mlp.gate_proj.weight",
            Weight.GATE_BIAS, "model.layers.{i}.mlp.gate_proj.bias",
            Weight.UP, "model.layers.{i}.mlp.up_proj.weight",
            Weight.UP_BIAS, "model.layers.{i}.mlp.up_proj.bias",
            Weight.DOWN, "model.layers.{i}.mlp.down_proj.weight",
            Weight.DOWN_BIAS, "model.layers.{i}.mlp.down_proj.bias",
            Weight.FINAL_NORM, "model.norm.weight",
            Weight.LM_HEAD, "lm_head.weight");

    static final Map<Weight, String> QWEN3 =
        with(
            LLAMA,
            Weight.Q_NORM,
            "model.layers.{i}.self_attn.q_norm.weight",
            Weight.K_NORM,
            "model.layers.{i}.self_attn.k_norm.weight");

    /**
     * OLMo 2: Qwen3's names without the input norms; its post_attention_layernorm norms the
     * attention output (not the MLP input), and post_feedforward_layernorm the MLP output.
     */
    static final Map<Weight, String> OLMO2 =
        without(
            with(
                QWEN3,
                Weight.ATTN_OUT_NORM,
                "model.layers.{i}.post_attention_layernorm.weight",
                Weight.MLP_OUT_NORM,
                "model.layers.{i}.post_feedforward_layernorm.weight"),
            Weight.ATTN_NORM,
            Weight.MLP_NORM);

    static final Map<Weight, String> GPT_NEOX =
        table(
            Weight.EMBED, "gpt_neox.embed_in.weight",
            Weight.ATTN_NORM, "gpt_neox.layers.{i}.input_layernorm.weight",
            Weight.ATTN_NORM_BIAS, "gpt_neox.layers.{i}.input_layernorm.bias",
            Weight.QKV, "gpt_neox.layers.{i}.attention.query_key_value.weight",
            Weight.QKV_BIAS, "gpt_neox.layers.{i}.attention.query_key_value.bias",
            Weight.O, "gpt_neox.layers.{i}.attention.dense.weight",
            Weight.O_BIAS, "gpt_neox.layers.{i}.attention.dense.bias",
            Weight.MLP_NORM, "gpt_neox.layers.{i}.post_attention_layernorm.weight",
            Weight.MLP_NORM_BIAS, "gpt_neox.layers.{i}.post_attention_layernorm.bias",
            Weight.UP, "gpt_neox.layers.{i}.mlp.dense_h_to_4h.weight",
            Weight.UP_BIAS, "gpt_neox.layers.{i}.mlp.dense_h_to_4h.bias",
            Weight.DOWN, "gpt_neox.layers.{i}.mlp.dense_4h_to_h.weight",
            Weight.DOWN_BIAS, "gpt_neox.layers.{i}.mlp.dense_4h_to_h.bias",
            Weight.FINAL_NORM, "gpt_neox.final_layer_norm.weight",
            Weight.FINAL_NORM_BIAS, "gpt_neox.final_layer_norm.bias",
            Weight.LM_HEAD, "embed_out.weight");

    private static Map<Weight, String> table(Object... kv) {
      Map<Weight, String> m = new EnumMap<>(Weight.class);
      for (int i = 0; i < kv.length; i += 2) {
        m.put((Weight) kv[i], (String) kv[i + 1]);
      }
      return m;
    }

    /** {@code base} with the given roles added or renamed. */
    private static Map<Weight, String> with(Map<Weight, String> base, Object... kv) {
      Map<Weight, String> m = new EnumMap<>(base);
      m.putAll(table(kv));
      return m;
    }

    /** {@code base} without the given roles. */
    private static Map<Weight, String> without(Map<Weight, String> base, Weight... roles) {
      Map<Weight, String> m = new EnumMap<>(base);
      for (Weight w : roles) {
        m.remove(w);
      }
      return m;
    }
  }

  /**
   * The stored name of {@code w} in layer {@code layer} (ignored for model-level weights), or null
   * when this checkpoint has no such tensor (the family lacks it, the config disables that bias, or
   * the LM head is tied to the embeddings).
   */
  public String tensor(Weight w, int layer, ModelConfig c) {
    String n = names.get(w);
    boolean present =
        n != null
            && switch (w) {
              case Q_BIAS, K_BIAS, V_BIAS, QKV_BIAS -> c.qkvBias();
              case O_BIAS -> c.oBias();
              case GATE_BIAS, UP_BIAS, DOWN_BIAS -> c.mlpBias();
              case LM_HEAD -> !c.tieWordEmbeddings();
              default -> true;
            };
    return present ? n.replace("{i}", Integer.toString(layer)) : null;
  }

  /** Every tensor the forward pass reads, with the shape config.json implies, in load order. */
  public Map<String, long[]> tensors(ModelConfig c) {
    Map<String, long[]> m = new LinkedHashMap<>();
    for (Weight w : Weight.values()) {
      if (!w.perLayer()) {
        put(m, w, 0, c);
      }
    }
    for (int i = 0; i < c.numLayers(); i++) {
      for (Weight w : Weight.values()) {
        if (w.perLayer()) {
          put(m, w, i, c);
        }
      }
    }
    return m;
  }

  private void put(Map<String, long[]> m, Weight w, int layer, ModelConfig c) {
    String n = tensor(w, layer, c);
    if (n != null) {
      m.put(n, shape(w, c));
    }
  }

  /** The shape of a role's tensor: linear weights are [out, in] as HF stores them. */
  private long[] shape(Weight w, ModelConfig c) {
    long h = c.hiddenSize();
    long v = c.vocabSize();
    long q = (long) c.numHeads() * c.headDim();
    long kv = (long) c.numKvHeads() * c.headDim();
    long inter = c.intermediateSize();
    return switch (w) {
      case EMBED, LM_HEAD -> new long[] {v, h};
      case ATTN_NORM,
          ATTN_NORM_BIAS,
          ATTN_OUT_NORM,
          MLP_NORM,
          MLP_NORM_BIAS,
          MLP_OUT_NORM,
          FINAL_NORM,
          FINAL_NORM_BIAS,
          O_BIAS,
          DOWN_BIAS ->
          new long[] {h};
      case QKV -> new long[] {q + 2 * kv, h};
      case QKV_BIAS -> new long[] {q + 2 * kv};
      case Q -> new long[] {q, h};
      case K, V -> new long[] {kv, h};
      case Q_BIAS -> new long[] {q};
      case K_BIAS, V_BIAS -> new long[] {kv};
      case Q_NORM -> new long[] {qkNorm == QkNorm.PER_HEAD ? c.headDim() : q};
      case K_NORM -> new long[] {qkNorm == QkNorm.PER_HEAD ? c.headDim() : kv};
      case O -> new long[] {h, q};
      case GATE, UP -> new long[] {inter, h};
      case GATE_BIAS, UP_BIAS -> new long[] {inter};
      case DOWN -> new long[] {h, inter};
    };
  }

  /**
   * Stored tensors that transformers ignores on load: rotary {@code inv_freq} buffers, and old
   * GPT-NeoX files' causal-mask buffers {@code attention.bias} / {@code attention.masked_bias}.
   */
  public boolean ignoredTensor(String name) {
    return name.endsWith("rotary_emb.inv_freq")
        || (this == GPT_NEOX
            && (name.endsWith(".attention.bias") || name.endsWith(".attention.masked_bias")));
  }

  /** What a family reads from config.json beyond the shared sizes, resolved with HF's defaults. */
  record Keys(
      int headDim,
      double normEps,
      double ropeTheta,
      int rotaryDim,
      boolean qkvBias,
      boolean oBias,
      boolean mlpBias,
      boolean parallelResidual,
      int slidingWindow,
      int maxPositionsDefault) {}

  /**
   * Reads this family's config keys (transformers' configuration class defaults for absent ones)
   * and refuses the ones that change the math in a way evalh does not implement.
   */
  Keys keys(String where, JsonNode c, int hidden, int heads) {
    String act = c.path("hidden_act").asText(mlp == Mlp.GELU ? "gelu" : "silu");
    String wantAct = mlp == Mlp.GELU ? "gelu" : "silu";
    if (!act.equals(wantAct)) {
      throw new CheckpointException(
          where
              + ": hidden_act \""
              + act
              + "\" is not supported for "
              + hfName
              + " (only \""
              + wantAct
              + "\""
              + (mlp == Mlp.GELU ? ", the exact erf GELU)" : ")"));
    }
    boolean attnBias = c.path("attention_bias").asBoolean(this == GPT_NEOX);
    int explicitHeadDim = c.hasNonNull("head_dim") ? c.get("head_dim").asInt() : 0;
    return switch (this) {
      case LLAMA, MISTRAL, QWEN2, QWEN3, OLMO2 -> {
        int headDim = explicitHeadDim > 0 ? explicitHeadDim : this == QWEN3 ? 128 : hidden / heads;
        double partial = c.path("partial_rotary_factor").asDouble(1.0);
        if (partial != 1.0) {
          throw new CheckpointException(
              where
                  + ": partial_rotary_factor "
                  + c.get("partial_rotary_factor")
                  + " is not supported for "
                  + hfName
                  + " (only GPT-NeoX rotates part of each head)");
        }
        int window = 0;
        if (this == MISTRAL) {
          JsonNode sw = c.get("sliding_window");
          window = sw == null ? 4096 : sw.isNull() ? 0 : sw.asInt();
        }
        yield new Keys(
            headDim,
            c.path("rms_norm_eps").asDouble(this == OLMO2 ? 1e-5 : 1e-6),
            c.path("rope_theta").asDouble(10000.0),
            headDim,
            this == QWEN2 || attnBias,
            this != QWEN2 && attnBias,
            (this == LLAMA || this == MISTRAL) && c.path("mlp_bias").asBoolean(false),
            false,
            window,
            this == QWEN3 ? 32768 : 2048);
      }
      case GPT_NEOX -> {
        if (hidden % heads != 0) {
          throw new CheckpointException(
              where
                  + ": hidden_size "
                  + hidden
                  + " is not a multiple of num_attention_heads "
                  + heads);
        }
        int headDim = hidden / heads;
        double pct = agreeing(where, c, "rotary_pct", "partial_rotary_factor", 0.25);
        double theta = agreeing(where, c, "rotary_emb_base", "rope_theta", 10000.0);
        int rotary = (int) (headDim * pct);
        if (!(pct > 0 && pct <= 1) || rotary % 2 != 0 || rotary == 0) {
          throw new CheckpointException(
              where
                  + ": rotary_pct "
                  + pct
                  + " gives "
                  + rotary
                  + " rotary dims of head_size "
                  + headDim
                  + "; need an even number in 2.."
                  + headDim);
        }
        yield new Keys(
            headDim,
            c.path("layer_norm_eps").asDouble(1e-5),
            theta,
            rotary,
            attnBias,
            attnBias,
            true,
            c.path("use_parallel_residual").asBoolean(true),
            0,
            2048);
      }
    };
  }

  /** A setting spelled two ways (v4 and v5 GPT-NeoX keys): either, or both when they agree. */
  private static double agreeing(String where, JsonNode c, String key, String alias, double dflt) {
    JsonNode a = c.get(key);
    JsonNode b = c.get(alias);
    boolean hasA = a != null && !a.isNull();
    boolean hasB = b != null && !b.isNull();
    if (hasA && hasB && a.asDouble() != b.asDouble()) {
      throw new CheckpointException(
          where
              + ": "
              + key
              + " "
              + a
              + " and "
              + alias
              + " "
              + b
              + " disagree; which one is meant?");
    }
    return hasA ? a.asDouble() : hasB ? b.asDouble() : dflt;
  }
}
