package evalh.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.tasks.data.MmluDoc;
import evalh.tasks.prompt.ChoicePrompt;
import evalh.tasks.prompt.DescriptionStyle;
import evalh.tasks.prompt.MultipleChoicePrompts;
import evalh.tasks.registry.TaskRegistry;
import evalh.tasks.registry.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prompts byte-identical to lm-eval's MMLU default template (lm_eval/tasks/mmlu/default:
 * description "The following are multiple choice questions (with answers) about {subject}.\n\n",
 * doc_to_text "{{question.strip()}}\nA. ..\nB. ..\nC. ..\nD. ..\nAnswer:", choices A-D,
 * target_delimiter " ", fewshot_delimiter "\n\n", first_n sampler over dev). The expected strings
 * are written out literally.
 */
class PromptGoldenTest {
  private final TaskRegistry registry = TaskRegistry.bundled();

  private static MmluDoc doc(int id, String q, int answer, String... choices) {
    return new MmluDoc(id, "high_school_biology", q, List.of(choices), answer, "test");
  }

  private static final MmluDoc TEST =
      doc(0, "  Which organelle makes ATP?\n", 2, "Nucleus", "Golgi", "Mitochondrion", "Ribosome");

  private static List<MmluDoc> dev() {
    List<MmluDoc> d = new ArrayList<>();
    d.add(doc(0, "Q0?", 0, "a0", "b0", "c0", "d0"));
    d.add(doc(1, "Q1?", 1, "a1", "b1", "c1", "d1"));
    d.add(doc(2, "Q2?", 2, "a2", "b2", "c2", "d2"));
    d.add(doc(3, "Q3?", 3, "a3", "b3", "c3", "d3"));
    d.add(doc(4, " Q4?", 0, "a4", "b4", "c4", "d4"));
    d.add(doc(5, "Q5 (not used)?", 0, "a5", "b5", "c5", "d5"));
    return d;
  }

  @Test
  void zeroShot() {
    TaskSpec t = registry.task("mmlu-high_school_biology").orElseThrow();
    ChoicePrompt p =
        new MultipleChoicePrompts(t, DescriptionStyle.DEFAULT, List.of(), 0).build(TEST);
    assertThat(p.context())
        .isEqualTo(
            "The following are multiple choice questions (with answers) about high school"
                + " biology.\n\nWhich organelle makes ATP?\nA. Nucleus\nB. Golgi\nC. Mitochondrion\n"
                + "D. Ribosome\nAnswer:");
    assertThat(p.continuations()).containsExactly(" A", " B", " C", " D");
    assertThat(p.choices()).containsExactly("A", "B", "C", "D");
    assertThat(p.gold()).isEqualTo(2);
  }

  @Test
  void fiveShotFromDevInDatasetOrder() {
    TaskSpec t = registry.task("mmlu-high_school_biology").orElseThrow();
    ChoicePrompt p = new MultipleChoicePrompts(t, DescriptionStyle.DEFAULT, dev(), 5).build(TEST);
    assertThat(p.context())
        .isEqualTo(
            "The following are multiple choice questions (with answers) about high school"
                + " biology.\n\n"
                + "Q0?\nA. a0\nB. b0\nC. c0\nD. d0\nAnswer: A\n\n"
                + "Q1?\nA. a1\nB. b1\nC. c1\nD. d1\nAnswer: B\n\n"
                + "Q2?\nA. a2\nB. b2\nC. c2\nD. d2\nAnswer: C\n\n"
                + "Q3?\nA. a3\nB. b3\nC. c3\nD. d3\nAnswer: D\n\n"
                + "Q4?\nA. a4\nB. b4\nC. c4\nD. d4\nAnswer: A\n\n"
                + "Which organelle makes ATP?\nA. Nucleus\nB. Golgi\nC. Mitochondrion\n"
                + "D. Ribosome\nAnswer:");
  }

  @Test
  void legacyDescriptionHasOneNewline() {
    TaskSpec t = registry.task("mmlu-anatomy").orElseThrow();
    ChoicePrompt p = new MultipleChoicePrompts(t, DescriptionStyle.LEGACY, dev(), 1).build(TEST);
    assertThat(p.context())
        .startsWith(
            "The following are multiple choice questions (with answers) about anatomy.\nQ0?\nA. a0")
        .contains("Answer: A\n\nWhich organelle");
  }

  @Test
  void clozeIsOlmesRc() {
    TaskSpec t = registry.task("mmlu-high_school_biology-cloze").orElseThrow();
    ChoicePrompt p = new MultipleChoicePrompts(t, DescriptionStyle.DEFAULT, dev(), 1).build(TEST);
    assertThat(p.context())
        .isEqualTo(
            "The following are multiple choice questions (with answers) about high school"
                + " biology.\n\nQuestion: Q0?\nAnswer: a0\n\nQuestion: Which organelle makes"
                + " ATP?\nAnswer:");
    assertThat(p.continuations())
        .containsExactly(" Nucleus", " Golgi", " Mitochondrion", " Ribosome");
    assertThat(p.choices()).containsExactly("Nucleus", "Golgi", "Mitochondrion", "Ribosome");
  }

  @Test
  void tooFewDevItemsIsAnError() {
    TaskSpec t = registry.task("mmlu-anatomy").orElseThrow();
    assertThatThrownBy(
            () -> new MultipleChoicePrompts(t, DescriptionStyle.DEFAULT, dev().subList(0, 3), 5))
        .hasMessageContaining("--num-fewshot 5")
        .hasMessageContaining("only 3 items");
  }
}
