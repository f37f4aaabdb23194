package evalh.engine.encoder;

import evalh.core.embed.SentenceEncoder;
import evalh.engine.checkpoint.Checkpoint;
import evalh.engine.checkpoint.CheckpointException;
import evalh.engine.checkpoint.DType;
import evalh.engine.runtime.Runtimes;
import evalh.engine.runtime.TensorRuntime;
import evalh.engine.tokenizer.TextTokenizer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A sentence-transformers checkpoint of the BERT family on a {@link TensorRuntime}: texts are
 * tokenized with the checkpoint's {@code tokenizer.json} (its own special tokens, e.g. [CLS] ...
 * [SEP]), truncated to {@code max_seq_length}, run through {@link BertModel} in length-sorted
 * padded batches, pooled and optionally L2-normalised as its modules say. Thread-safe (calls are
 * serialised: a runtime is single-threaded).
 */
public final class BertSentenceEncoder implements SentenceEncoder {
  /** Tokens of one forward batch, padding included. */
  static final int BATCH_TOKENS = 8192;

  /** Attention scores of one batch (rows x heads x len x len): a memory bound. */
  static final long BATCH_SCORES = 16L << 20;

  private final Path dir;
  private final Checkpoint.Weights weights;
  private final SentenceTransformerConfig st;
  private final TensorRuntime<?> runtime;
  private final BertModel<?> model;
  private final TextTokenizer tokenizer;
  private final int[] prefix;
  private final int[] suffix;

  private BertSentenceEncoder(
      Path dir,
      Checkpoint.Weights weights,
      SentenceTransformerConfig st,
      TensorRuntime<?> runtime,
      BertModel<?> model,
      TextTokenizer tokenizer) {
    this.dir = dir;
    this.weights = weights;
    this.st = st;
    this.runtime = runtime;
    this.model = model;
    this.tokenizer = tokenizer;
    // The post-processor's special tokens around a text ([CLS] ... [SEP]), found on a probe text,
    // so that truncation cuts the text's own tokens and keeps them, as transformers truncates.
    int[] plain = tokenizer.encode("a");
    int[] with = tokenizer.encodeWithSpecialTokens("a");
    int at = indexOf(with, plain);
    if (plain.length == 0 || at < 0) {
      throw new CheckpointException(
          st.modelDir().resolve("tokenizer.json")
              + ": its post-processor does not keep a text's tokens in one run ("
              + Arrays.toString(with)
              + " for "
              + Arrays.toString(plain)
              + ")");
    }
    this.prefix = Arrays.copyOfRange(with, 0, at);
    this.suffix = Arrays.copyOfRange(with, at + plain.length, with.length);
    if (prefix.length + suffix.length >= st.maxSeqLength()) {
      throw new CheckpointException(
          dir + ": max_seq_length " + st.maxSeqLength() + " leaves no room for a text's tokens");
    }
    int vocab = model.config().vocabSize();
    if (tokenizer.size() > vocab) {
      throw new CheckpointException(
          st.modelDir().resolve("tokenizer.json")
              + ": token ids up to "
              + (tokenizer.size() - 1)
              + ", but config.json's vocab_size is "
              + vocab);
    }
  }

  /**
   * Opens the sentence-transformers checkpoint in {@code dir} on a runtime ({@link Runtimes#open}
   * arguments; notes about libtorch candidates go to {@code notes}).
   */
  public static BertSentenceEncoder open(
      Path dir, String torch, String device, String dtype, PrintStream notes) {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException(
          dir + ": not a directory (expected a sentence-transformers checkpoint folder)");
    }
    SentenceTransformerConfig raw = SentenceTransformerConfig.read(dir);
    Path modelDir = raw.modelDir();
    BertConfig cfg = BertConfig.read(modelDir.resolve("config.json"));
    SentenceTransformerConfig st = raw.resolved(cfg);
    Checkpoint.Weights weights = Checkpoint.Weights.open(modelDir);
    TextTokenizer tokenizer = null;
    TensorRuntime<?> rt = null;
    try {
      tokenizer = TextTokenizer.load(modelDir);
      rt = Runtimes.open(torch, device, dtype, DType.mostBytes(weights.tensors().values()), notes);
      BertModel<?> model = BertModel.load(modelDir, cfg, weights.tensors(), rt);
      return new BertSentenceEncoder(dir, weights, st, rt, model, tokenizer);
    } catch (RuntimeException e) {
      if (rt != null) {
        rt.close();
      }
      if (tokenizer != null) {
        tokenizer.close();
      }
      weights.close();
      throw e;
    }
  }

  /** The token ids of {@code text} as the model sees it: special tokens added, truncated. */
  public int[] ids(String text) {
    return withSpecials(tokenizer.encode(prepare(text)));
  }

  @Override
  public synchronized List<float[]> embed(List<String> texts) {
    int n = texts.size();
    int[][] plain = tokenizer.encodeAll(texts.stream().map(this::prepare).toList());
    List<int[]> ids = new ArrayList<>(n);
    for (int[] p : plain) {
      ids.add(withSpecials(p));
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> ids.get(i).length).reversed());
    float[][] out = new float[n][];
    int heads = model.config().heads();
    for (int start = 0; start < n; ) {
      int len = ids.get(order[start]).length; // the longest of the batch (sorted)
      int rows =
          (int)
              Math.max(1, Math.min(BATCH_TOKENS / len, BATCH_SCORES / ((long) heads * len * len)));
      int end = Math.min(n, start + rows);
      List<int[]> batch = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        batch.add(ids.get(order[i]));
      }
      float[][] states = model.tokenStates(batch);
      for (int i = start; i < end; i++) {
        out[order[i]] = pool(states[i - start], batch.get(i - start).length, order[i]);
      }
      start = end;
    }
    return Arrays.asList(out);
  }

  private float[] pool(float[] states, int tokens, int index) {
    int h = model.config().hidden();
    float[] v = new float[dimension()];
    for (int p = 0; p < st.pooling().size(); p++) {
      st.pooling().get(p).pool(states, 0, tokens, h, v, p * h);
    }
    double sq = 0;
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalStateException(
            dir
                + ": the embedding of text "
                + index
                + " has a non-finite value ("
                + x
                + "): NaN or infinite weights, or a float16 overflow");
      }
      sq += (double) x * x;
    }
    if (st.normalize()) {
      double norm = Math.max(Math.sqrt(sq), 1e-12); // torch.nn.functional.normalize's eps
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
    return v;
  }

  /** sentence-transformers strips each text, then lower-cases it when do_lower_case is set. */
  private String prepare(String text) {
    String t = text.strip();
    return st.lowerCase() ? t.toLowerCase(Locale.ROOT) : t;
  }

  private int[] withSpecials(int[] plain) {
    int keep = Math.min(plain.length, st.maxSeqLength() - prefix.length - suffix.length);
    int[] out = new int[prefix.length + keep + suffix.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(plain, 0, out, prefix.length, keep);
    System.arraycopy(suffix, 0, out, prefix.length + keep, suffix.length);
    return out;
  }

  private static int indexOf(int[] hay, int[] needle) {
    for (int i = 0; i + needle.length <= hay.length; i++) {
      if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int dimension() {
    return st.dimension(model.config().hidden());
  }

  @Override
  public boolean normalized() {
    return st.normalize();
  }

  /** The runtime the model runs on (benchmarks measure its matmul peak). */
  public TensorRuntime<?> runtime() {
    return runtime;
  }

  /** The model's config. */
  public BertConfig config() {
    return model.config();
  }

  /** Tokens per text at most, special tokens included. */
  public int maxSeqLength() {
    return st.maxSeqLength();
  }

  @Override
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%s (BertModel, %d layers, hidden %d; pooling %s%s; max_seq_length %d; %s on %s, %s)",
        dir,
        model.config().layers(),
        model.config().hidden(),
        st.pooling().stream().map(p -> p.name().toLowerCase(Locale.ROOT)).toList(),
        st.normalize() ? ", normalized" : "",
        st.maxSeqLength(),
        runtime.info().runtime(),
        runtime.device(),
        runtime.computeDtype());
  }

  @Override
  public synchronized void close() {
    runtime.close(); // before the weights: a weight in the compute dtype is their memory map
    tokenizer.close();
    weights.close();
  }
}
