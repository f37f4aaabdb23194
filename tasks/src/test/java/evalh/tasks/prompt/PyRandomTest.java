package evalh.tasks.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link PyRandom} against CPython: {@code mc-oracle.json}'s {@code random_1234_sample} is one
 * {@code random.Random(1234)} drawing {@code sample(range(n), k)} for each (n, k) in turn, through
 * both of CPython's sample strategies (a shrinking pool when n is small, rejection from a set when
 * n is large).
 */
class PyRandomTest {
  @Test
  void samplesAsCPython() throws Exception {
    JsonNode draws;
    try (InputStream in = PyRandomTest.class.getResourceAsStream("/oracle/mc-oracle.json")) {
      draws = new ObjectMapper().readTree(in).get("random_1234_sample");
    }
    assertThat(draws.size()).isGreaterThanOrEqualTo(8);
    PyRandom r = new PyRandom(1234);
    for (JsonNode d : draws) {
      int n = d.get("n").asInt();
      List<Integer> population = IntStream.range(0, n).boxed().toList();
      List<Integer> expected = new ArrayList<>();
      d.get("sample").forEach(x -> expected.add(x.asInt()));
      assertThat(r.sample(population, d.get("k").asInt())).as("n=%d", n).isEqualTo(expected);
    }
  }

  @Test
  void firstOutputsOfTheGeneratorMatchMt19937() {
    // CPython: random.Random(1234).getrandbits(32) twice -> 4150886329, 3342196574
    PyRandom r = new PyRandom(1234);
    assertThat(r.getrandbits(32)).isEqualTo(4150886329L);
    assertThat(r.getrandbits(32)).isEqualTo(3342196574L);
  }

  @Test
  void sampleLargerThanThePopulationIsAnError() {
    assertThatThrownBy(() -> new PyRandom(1234).sample(List.of(1, 2), 3))
        .hasMessageContaining("Sample larger than population");
  }
}
