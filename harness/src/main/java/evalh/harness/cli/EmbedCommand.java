package evalh.harness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.engine.encoder.BertConfig;
import evalh.engine.encoder.BertSentenceEncoder;
import evalh.engine.runtime.MatmulPeak;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code evalh embed}: one text's sentence embedding, or the encoder's throughput. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Print the sentence embedding of a text under a sentence-transformers checkpoint",
      "of the BERT family (BertModel safetensors, tokenizer.json, modules.json,",
      "1_Pooling/config.json). The text is tokenized with its special tokens",
      "([CLS] ... [SEP]) and truncated to max_seq_length (sentence_bert_config.json,",
      "else max_position_embeddings); the token states are pooled as",
      "1_Pooling/config.json says (cls, mean, max, mean_sqrt_len; several are",
      "concatenated) and L2-normalised when modules.json has a Normalize module.",
      "The same encoder is offered to other modules (decontamination) through core's",
      "SentenceEncoderProvider.",
      "--bench N instead embeds N random windows of --bench-words words (whole words",
      "of the tokenizer's vocabulary) and prints windows/s, tokens/s and the model's",
      "GFLOP/s (median of 3 timed passes after a warm-up pass), with MFU against a",
      "1024x1024 matmul peak measured after them."
    })
public final class EmbedCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ckpt",
      required = true,
      paramLabel = "DIR",
      description = "sentence-transformers checkpoint directory.")
  Path checkpoint;

  @Option(names = "--text", description = "The text to embed.")
  String text;

  @Option(
      names = "--json",
      description =
          "Print exactly one JSON object {\"ids\":[token ids, special tokens included],"
              + "\"embedding\":[numbers]}.")
  boolean json;

  @Mixin RuntimeOptions where;

  @Option(
      names = "--bench",
      paramLabel = "N",
      description = "Measure throughput on N random windows instead of embedding --text.")
  Integer bench;

  @Option(
      names = "--bench-words",
      defaultValue = "96",
      paramLabel = "W",
      description = "Words per --bench window (default: ${DEFAULT-VALUE}).")
  int benchWords;

  @Override
  public Integer call() throws Exception {
    if ((text == null) == (bench == null)) {
      throw new ParameterException(spec.commandLine(), "give exactly one of --text and --bench");
    }
    if (bench != null && (bench < 1 || benchWords < 1)) {
      throw new ParameterException(spec.commandLine(), "--bench and --bench-words must be >= 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintStream notes = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    try (BertSentenceEncoder enc =
        BertSentenceEncoder.open(checkpoint, where.torch(), where.device(), where.dtype(), notes)) {
      if (bench != null) {
        bench(enc, out);
        return 0;
      }
      int[] ids = enc.ids(text);
      float[] e = enc.embed(List.of(text)).get(0);
      if (json) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        ArrayNode a = o.putArray("ids");
        Arrays.stream(ids).forEach(a::add);
        ArrayNode v = o.putArray("embedding");
        for (float x : e) {
          v.add(x);
        }
        out.println(m.writeValueAsString(o));
      } else {
        out.println("ids: " + Arrays.toString(ids));
        out.printf(Locale.ROOT, "embedding (%d values): %s%n", e.length, enc.describe());
        for (int i = 0; i < e.length; i += 8) {
          StringBuilder line = new StringBuilder();
          for (int j = i; j < Math.min(e.length, i + 8); j++) {
            line.append(String.format(Locale.ROOT, "%13.7f", e[j]));
          }
          out.println(line);
        }
      }
      out.flush();
    }
    return 0;
  }

  private void bench(BertSentenceEncoder enc, PrintWriter out) throws IOException {
    List<String> words = vocabularyWords(checkpoint);
    if (words.isEmpty()) {
      throw new IllegalArgumentException(
          checkpoint
              + "/tokenizer.json: no whole-word entries in model.vocab to build windows from");
    }
    SplittableRandom rnd = new SplittableRandom(20);
    List<String> windows = new ArrayList<>();
    for (int i = 0; i < bench; i++) {
      StringBuilder w = new StringBuilder();
      for (int j = 0; j < benchWords; j++) {
        w.append(j == 0 ? "" : " ").append(words.get(rnd.nextInt(words.size())));
      }
      windows.add(w.toString());
    }
    long tokens = 0;
    double flop = 0;
    BertConfig c = enc.config();
    for (String w : windows) {
      int t = enc.ids(w).length;
      tokens += t;
      // per layer and token: q, k, v, o (4 H^2) and the MLP (2 H I) multiply-adds; q k^T and
      // attention-weighted v (2 T H)
      flop +=
          2.0
              * c.layers()
              * t
              * (4.0 * c.hidden() * c.hidden()
                  + 2.0 * c.hidden() * c.intermediate()
                  + 2.0 * t * c.hidden());
    }
    enc.embed(windows.subList(0, Math.min(windows.size(), 64))); // warm-up
    double[] secs = new double[3];
    for (int r = 0; r < secs.length; r++) {
      long t0 = System.nanoTime();
      enc.embed(windows);
      secs[r] = (System.nanoTime() - t0) / 1e9;
    }
    double[] sorted = secs.clone();
    Arrays.sort(sorted);
    double med = sorted[1];
    // the machine's matmul peak in the same run, so that a loaded machine shows as a low peak
    double peak =
        enc.runtime() instanceof MatmulPeak mp ? mp.measureMatmulPeak(1024, 5) : Double.NaN;
    out.printf(
        Locale.ROOT,
        "encoder: %s%n%d windows of %d words, %.1f tokens per window (max_seq_length %d)%n"
            + "passes: %s s%nmedian: %.1f windows/s, %.0f tokens/s, %.1f model GFLOP/s"
            + " (matmul peak %.1f GFLOP/s, MFU %.0f%%)%n",
        enc.describe(),
        bench,
        benchWords,
        tokens / (double) bench,
        enc.maxSeqLength(),
        Arrays.toString(Arrays.stream(secs).map(s -> Math.round(s * 1000) / 1000.0).toArray()),
        bench / med,
        tokens / med,
        flop / med / 1e9,
        peak / 1e9,
        100 * flop / med / peak);
    out.flush();
  }

  /** Whole-word alphabetic entries of tokenizer.json's model.vocab (no ## pieces, no specials). */
  static List<String> vocabularyWords(Path dir) throws IOException {
    JsonNode vocab =
        new ObjectMapper()
            .readTree(dir.resolve("tokenizer.json").toFile())
            .path("model")
            .path("vocab");
    List<String> out = new ArrayList<>();
    vocab
        .properties()
        .forEach(
            e -> {
              String w = e.getKey();
              if (w.length() > 1 && w.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
                out.add(w);
              }
            });
    return out;
  }
}
