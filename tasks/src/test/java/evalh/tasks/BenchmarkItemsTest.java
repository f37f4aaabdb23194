package evalh.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkItemsTest {
  @Test
  void loadsBundledSampleItemsOfAGroup() {
    List<BenchmarkItem> items =
        BenchmarkItems.load(
            evalh.tasks.registry.TaskRegistry.bundled(),
            "mmlu-science",
            evalh.tasks.data.DataRoot.bundledSample());
    assertThat(items).hasSize(16 * 3);
    assertThat(items.get(0).task()).isEqualTo("mmlu-anatomy");
    assertThat(items.get(0).docId()).isZero();
    // the first anatomy test item of the bundled sample (tasks/src/main/resources/.../test.jsonl)
    assertThat(items.get(0).question())
        .isEqualTo("How many pairs of ribs does a typical adult human have?");
    assertThat(items.get(0).choices()).containsExactly("11", "12", "13", "10");
    assertThat(items.get(0).gold()).isEqualTo(1);
  }

  @Test
  void loadsFromAnExplicitDataDir(@TempDir Path root) throws Exception {
    Path d = root.resolve("cais/mmlu/virology");
    Files.createDirectories(d);
    Files.writeString(
        d.resolve("test.jsonl"),
        """
        {"question":"Q0","choices":["a","b","c","d"],"answer":1}
        {"question":"Q1","choices":["a","b","c","d"],"answer":9}
        {"question":"Q2","choices":["e","f","g","h"],"answer":3}
        """);
    List<BenchmarkItem> items = BenchmarkItems.load("mmlu-virology", root);
    assertThat(items)
        .containsExactly(
            new BenchmarkItem("mmlu-virology", 0, "Q0", List.of("a", "b", "c", "d"), 1),
            new BenchmarkItem("mmlu-virology", 2, "Q2", List.of("e", "f", "g", "h"), 3));
  }
}
