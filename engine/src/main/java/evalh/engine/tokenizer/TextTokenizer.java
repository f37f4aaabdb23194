package evalh.engine.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A HuggingFace {@code tokenizer.json} through DJL's Rust bindings, with lm-eval's view of special
 * tokens: BOS/EOS come from {@code tokenizer_config.json} (as {@code transformers} reads them),
 * else {@code generation_config.json}, else {@code config.json}. Never truncates or pads. The
 * native library is always the CPU one bundled in DJL's jar, never a download ({@link
 * BundledTokenizersLibrary}).
 */
public final class TextTokenizer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HuggingFaceTokenizer tokenizer;
  private final OptionalInt bos;
  private final OptionalInt eos;
  private final boolean addsBos;
  private final Path source;
  private final int size;

  private TextTokenizer(
      HuggingFaceTokenizer tokenizer, Path source, OptionalInt bos, OptionalInt eos, int size) {
    this.tokenizer = tokenizer;
    this.source = source;
    this.size = size;
    this.bos = bos;
    this.eos = eos;
    long[] plain = tokenizer.encode("a", false, false).getIds();
    long[] special = tokenizer.encode("a", true, false).getIds();
    this.addsBos =
        bos.isPresent()
            && special.length > plain.length
            && special[0] == bos.getAsInt()
            && (plain.length == 0 || plain[0] != bos.getAsInt());
  }

  /**
   * Loads {@code dir/tokenizer.json} and the special-token ids of the checkpoint in {@code dir}.
   */
  public static TextTokenizer load(Path dir) {
    Path file = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no tokenizer.json in " + dir + " (evalh needs the HF fast-tokenizer file)");
    }
    BundledTokenizersLibrary.select();
    Map<String, String> options = new HashMap<>();
    options.put("addSpecialTokens", "false");
    options.put("truncation", "false");
    options.put("padding", "false");
    options.put("modelMaxLength", String.valueOf(Integer.MAX_VALUE));
    HuggingFaceTokenizer tok;
    try {
      tok = HuggingFaceTokenizer.newInstance(file, options);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load " + file + ": " + e.getMessage(), e);
    }
    Map<String, Integer> added = addedTokens(file);
    OptionalInt bos = specialId(dir, "bos", added, tok);
    OptionalInt eos = specialId(dir, "eos", added, tok);
    int size = added.values().stream().mapToInt(i -> i + 1).max().orElse(0);
    return new TextTokenizer(tok, dir, bos, eos, size);
  }

  /** Token ids of {@code text} without special tokens (lm-eval's {@code tok_encode}). */
  public int[] encode(String text) {
    return toInts(tokenizer.encode(text, false, false).getIds());
  }

  /** {@link #encode} of many texts at once (the Rust library encodes them in parallel). */
  public int[][] encodeAll(List<String> texts) {
    Encoding[] enc = tokenizer.batchEncode(texts, false, false);
    int[][] out = new int[enc.length][];
    for (int i = 0; i < enc.length; i++) {
      out[i] = toInts(enc[i].getIds());
    }
    return out;
  }

  /** Token ids with the tokenizer's own special tokens (its post-processor, e.g. BOS). */
  public int[] encodeWithSpecialTokens(String text) {
    return toInts(tokenizer.encode(text, true, false).getIds());
  }

  /** One past the largest token id of tokenizer.json (vocabulary and added tokens). */
  public int size() {
    return size;
  }

  /** Byte-level token strings of {@code ids} as stored in the vocabulary. */
  public String[] tokens(int[] ids) {
    String[] out = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = tokenizer.decode(new long[] {ids[i]}, false);
    }
    return out;
  }

  /** Vocabulary strings as the tokenizer spells them (e.g. {@code Ġthe}). */
  public String[] vocabTokens(String text, boolean addSpecial) {
    Encoding e = tokenizer.encode(text, addSpecial, false);
    return e.getTokens();
  }

  public String decode(int[] ids, boolean skipSpecialTokens) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return tokenizer.decode(l, skipSpecialTokens);
  }

  public OptionalInt bosId() {
    return bos;
  }

  public OptionalInt eosId() {
    return eos;
  }

  /** Whether the tokenizer's post-processor prepends BOS by default. */
  public boolean addsBos() {
    return addsBos;
  }

  public Path source() {
    return source;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static int[] toInts(long[] ids) {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  private static Map<String, Integer> addedTokens(Path file) {
    Map<String, Integer> out = new HashMap<>();
    try {
      JsonNode root = JSON.readTree(file.toFile());
      for (JsonNode t : root.path("added_tokens")) {
        out.put(t.path("content").asText(), t.path("id").asInt());
      }
      JsonNode vocab = root.path("model").path("vocab");
      if (vocab.isObject()) {
        vocab.properties().forEach(e -> out.putIfAbsent(e.getKey(), e.getValue().asInt()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  private static OptionalInt specialId(
      Path dir, String which, Map<String, Integer> vocab, HuggingFaceTokenizer tok) {
    Path tc = dir.resolve("tokenizer_config.json");
    String key = which + "_token";
    try {
      if (Files.isRegularFile(tc)) {
        JsonNode cfg = JSON.readTree(tc.toFile());
        if (cfg.has(key)) {
          JsonNode v = cfg.get(key);
          String content = v.isObject() ? v.path("content").asText(null) : v.asText(null);
          if (v.isNull() || content == null) {
            return OptionalInt.empty();
          }
          Integer id = vocab.get(content);
          if (id == null) {
            throw new IllegalArgumentException(
                tc + ": " + key + " '" + content + "' is not a token of tokenizer.json");
          }
          return OptionalInt.of(id);
        }
      }
      for (String name : new String[] {"generation_config.json", "config.json"}) {
        Path p = dir.resolve(name);
        if (Files.isRegularFile(p)) {
          JsonNode id = JSON.readTree(p.toFile()).get(key + "_id");
          if (id != null && id.isInt()) {
            return OptionalInt.of(id.asInt());
          }
          if (id != null && id.isArray() && !id.isEmpty()) {
            return OptionalInt.of(id.get(0).asInt());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read special tokens in " + dir, e);
    }
    return OptionalInt.empty();
  }
}
