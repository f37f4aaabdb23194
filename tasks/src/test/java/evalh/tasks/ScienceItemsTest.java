package evalh.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import evalh.tasks.data.DataRoot;
import evalh.tasks.plan.TaskLoader;
import evalh.tasks.plan.TaskPlan;
import evalh.tasks.prompt.DescriptionStyle;
import evalh.tasks.registry.TaskRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled arc_easy, arc_challenge, sciq and openbookqa on {@link ScienceFixtures}' parquet: the
 * plans' requests and the decontamination items equal what lm-eval 0.4.13 builds.
 */
class ScienceItemsTest {
  @TempDir static Path data;
  private static JsonNode oracle;
  private final TaskRegistry registry = TaskRegistry.bundled();

  @BeforeAll
  static void write() throws Exception {
    ScienceFixtures.writeHfLayout(data);
    oracle = ScienceFixtures.oracle();
  }

  @Test
  void plansHoldLmEvalsRequestsWithTwoShotsFromTrain() {
    TaskLoader loader = new TaskLoader(DataRoot.of(data), 2, -1, DescriptionStyle.DEFAULT);
    for (String t : ScienceFixtures.TASKS) {
      TaskPlan.Choice plan = (TaskPlan.Choice) loader.load(registry.task(t).orElseThrow());
      JsonNode expected = oracle.at("/" + t + "/two_shot");
      assertThat(plan.prompts()).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertThat(plan.prompts().get(i).context())
            .as("%s %d", t, i)
            .isEqualTo(expected.get(i).get("context").asText());
        List<String> conts = new ArrayList<>();
        expected.get(i).get("continuations").forEach(c -> conts.add(c.asText()));
        assertThat(plan.prompts().get(i).continuations()).isEqualTo(conts);
        assertThat(plan.prompts().get(i).gold()).isEqualTo(expected.get(i).get("target").asInt());
      }
    }
  }

  @Test
  void decontaminationSeesTheQueriesOfEveryMultipleChoiceTask() {
    List<BenchmarkItem> items =
        BenchmarkItems.load(registry, String.join(",", ScienceFixtures.TASKS), DataRoot.of(data));
    int k = 0;
    for (String t : ScienceFixtures.TASKS) {
      JsonNode expected = oracle.at("/" + t + "/zero_shot");
      for (int i = 0; i < expected.size(); i++, k++) {
        BenchmarkItem item = items.get(k);
        JsonNode e = expected.get(i);
        assertThat(item.task()).isEqualTo(t);
        assertThat(item.docId()).isEqualTo(i);
        assertThat(item.question()).isEqualTo(e.get("decontamination_query").asText());
        List<String> choices = new ArrayList<>();
        e.get("continuations").forEach(c -> choices.add(c.asText().substring(1)));
        assertThat(item.choices()).isEqualTo(choices);
        assertThat(item.gold()).isEqualTo(e.get("target").asInt());
      }
    }
    assertThat(items).hasSize(k);
  }
}
