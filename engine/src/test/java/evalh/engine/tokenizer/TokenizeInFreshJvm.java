package evalh.engine.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.Platform;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The child JVM of {@link TokenizerOnCudaHostTest}: prints what DJL detects about the host, then
 * the ids of every text of a tokenization fixture, tokenized either through evalh's {@link
 * TextTokenizer} ({@code evalh}) or through DJL directly ({@code djl}, the control).
 *
 * <p>Usage: {@code TokenizeInFreshJvm evalh|djl TOKENIZER_DIR FIXTURE_JSON}
 */
public final class TokenizeInFreshJvm {
  private TokenizeInFreshJvm() {}

  public static void main(String[] args) throws Exception {
    Platform p = Platform.detectPlatform("tokenizers");
    System.out.println("platform flavor=" + p.getFlavor() + " arch=" + p.getCudaArch());
    JsonNode items = new ObjectMapper().readTree(Path.of(args[2]).toFile()).path("items");
    Path dir = Path.of(args[1]);
    if (args[0].equals("evalh")) {
      try (TextTokenizer t = TextTokenizer.load(dir)) {
        for (JsonNode it : items) {
          System.out.println("ids " + Arrays.toString(t.encode(it.path("text").asText())));
        }
      }
    } else {
      Map<String, String> options =
          Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
      try (HuggingFaceTokenizer t =
          HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"), options)) {
        for (JsonNode it : items) {
          long[] ids = t.encode(it.path("text").asText()).getIds();
          System.out.println(
              "ids "
                  + Arrays.stream(ids)
                      .mapToObj(Long::toString)
                      .collect(Collectors.joining(", ", "[", "]")));
        }
      }
    }
  }
}
