package evalh.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.tasks.data.DataRoot;
import evalh.tasks.plan.TaskLoader;
import evalh.tasks.plan.TaskPlan;
import evalh.tasks.prompt.ChoicePrompt;
import evalh.tasks.prompt.DescriptionStyle;
import evalh.tasks.registry.TaskRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task with only a test split takes its shots from it, and lm-eval's sampler then draws n + 1 and
 * leaves the evaluated document out. Expected contexts: lm-eval 0.4.13's {@code
 * ContextSampler(docs).set_rnd(1234)} then {@code sample(n=2, eval_doc=doc)} for each document in
 * turn, with these five documents (computed with lm-eval's own sampler, written out here).
 */
class FewshotFromTestSplitTest {
  @Test
  void shotsFromTheTestSplitLeaveTheDocumentOut(@TempDir Path tmp) throws Exception {
    Path inc = Files.createDirectories(tmp.resolve("yaml"));
    Files.writeString(
        inc.resolve("t.yaml"),
        """
        tasks:
          - name: only_test
            output_type: multiple_choice
            dataset_path: acme/only_test
            test_split: test
            num_fewshot: 2
            doc_to_text: "{{q}}"
            doc_to_choice: "{{a}}"
            doc_to_target: t
            target_delimiter: " "
            metric_list: [{metric: acc}]
        """);
    Path data = Files.createDirectories(tmp.resolve("data/acme/only_test"));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(
          String.format(
              java.util.Locale.ROOT,
              "{\"q\": \"Q%d\", \"a\": [\"a%d\", \"b%d\"], \"t\": %d}%n",
              i,
              i,
              i,
              i % 2));
    }
    Files.writeString(data.resolve("test.jsonl"), sb.toString());
    TaskRegistry registry = TaskRegistry.withIncludes(List.of(inc));
    TaskPlan.Choice plan =
        (TaskPlan.Choice)
            new TaskLoader(DataRoot.of(tmp.resolve("data")), null, -1, DescriptionStyle.DEFAULT)
                .load(registry.task("only_test").orElseThrow());
    assertThat(plan.prompts().stream().map(ChoicePrompt::context))
        .containsExactly(
            "Q3 b3\n\nQ4 a4\n\nQ0",
            "Q0 a0\n\nQ4 a4\n\nQ1",
            "Q0 a0\n\nQ4 a4\n\nQ2",
            "Q1 b1\n\nQ0 a0\n\nQ3",
            "Q0 a0\n\nQ2 a2\n\nQ4");
  }
}
