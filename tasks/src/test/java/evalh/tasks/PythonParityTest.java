package evalh.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.tasks.output.PyJson;
import evalh.tasks.output.PyRepr;
import evalh.tasks.prompt.PyStr;
import evalh.tasks.prompt.WikitextDetokenizer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Python/lm-eval behaviours against outputs of CPython (src/test/resources/oracle). */
class PythonParityTest {
  private static JsonNode oracle;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in =
        PythonParityTest.class.getResourceAsStream("/oracle/python-oracle.json")) {
      oracle = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void wikitextDetokenizerMatchesLmEval() {
    assertThat(oracle.get("detok").size()).isEqualTo(8);
    for (JsonNode c : oracle.get("detok")) {
      assertThat(WikitextDetokenizer.detokenize(c.get(0).asText()))
          .as("detokenize %s", c.get(0).asText())
          .isEqualTo(c.get(1).asText());
    }
  }

  @Test
  void wordCountIsPythonReSplit() {
    for (JsonNode c : oracle.get("words")) {
      assertThat(PyStr.pythonSplitWordCount(c.get(0).asText()))
          .as("words of %s", c.get(0).asText())
          .isEqualTo(c.get(1).asInt());
    }
  }

  @Test
  void stripIsPythonStrip() {
    for (JsonNode c : oracle.get("strip")) {
      assertThat(PyStr.strip(c.get(0).asText())).isEqualTo(c.get(1).asText());
    }
  }

  @Test
  void floatReprIsPythonRepr() {
    for (JsonNode c : oracle.get("repr")) {
      assertThat(PyRepr.floatRepr(c.get(0).asDouble()))
          .as("repr(%s)", c.get(1).asText())
          .isEqualTo(c.get(1).asText());
    }
  }

  @Test
  void docJsonAndHashAreLmEvals() throws Exception {
    ObjectMapper m = new ObjectMapper();
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = m.treeToValue(oracle.get("doc").get(0), Map.class);
    String dumped = PyJson.dumpsIndent2(doc);
    assertThat(dumped).isEqualTo(oracle.get("doc").get(1).asText());
    assertThat(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(dumped.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(oracle.get("doc").get(2).asText());
    @SuppressWarnings("unchecked")
    Map<String, Object> doc2 = m.treeToValue(oracle.get("doc2").get(0), Map.class);
    assertThat(PyJson.dumpsIndent2(doc2)).isEqualTo(oracle.get("doc2").get(1).asText());
  }
}
