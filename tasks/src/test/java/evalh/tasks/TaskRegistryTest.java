package evalh.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.tasks.registry.OutputType;
import evalh.tasks.registry.RegistryException;
import evalh.tasks.registry.Selection;
import evalh.tasks.registry.TaskRegistry;
import evalh.tasks.registry.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRegistryTest {
  private final TaskRegistry registry = TaskRegistry.bundled();

  @Test
  void mmluHas57SubjectsInLmEvalCategories() {
    assertThat(registry.leaves("mmlu")).hasSize(57);
    // lm-eval's mmlu_stem / humanities / social_sciences / other sizes
    assertThat(registry.leaves("mmlu-stem")).hasSize(19);
    assertThat(registry.leaves("mmlu-humanities")).hasSize(13);
    assertThat(registry.leaves("mmlu-social-sciences")).hasSize(12);
    assertThat(registry.leaves("mmlu-other")).hasSize(13);
    assertThat(registry.group("mmlu").orElseThrow().children())
        .containsExactly("mmlu-stem", "mmlu-other", "mmlu-social-sciences", "mmlu-humanities");
  }

  @Test
  void medUGroupsListTheIssueSubjects() {
    assertThat(registry.leaves("mmlu-science"))
        .extracting(TaskSpec::name)
        .containsExactly(
            "mmlu-anatomy",
            "mmlu-astronomy",
            "mmlu-clinical_knowledge",
            "mmlu-college_biology",
            "mmlu-college_chemistry",
            "mmlu-college_physics",
            "mmlu-conceptual_physics",
            "mmlu-high_school_biology",
            "mmlu-high_school_chemistry",
            "mmlu-high_school_physics",
            "mmlu-medical_genetics",
            "mmlu-nutrition",
            "mmlu-virology",
            "mmlu-human_aging",
            "mmlu-professional_medicine",
            "mmlu-professional_psychology");
    assertThat(registry.leaves("mmlu-mathematics")).hasSize(5);
    assertThat(registry.leaves("mmlu-engineering"))
        .extracting(TaskSpec::name)
        .contains("mmlu-machine_learning", "mmlu-computer_security");
  }

  @Test
  void clozeVariantMirrorsEveryGroup() {
    assertThat(registry.leaves("mmlu-science-cloze"))
        .hasSize(16)
        .allSatisfy(
            t ->
                assertThat(t.choice().docToText().yaml())
                    .isEqualTo("Question: {{question.strip()}}\nAnswer:"));
    assertThat(registry.leaves("mmlu-cloze")).hasSize(57);
    assertThat(registry.task("mmlu-anatomy-cloze").orElseThrow().metrics())
        .containsExactly("acc", "acc_norm", "acc_bytes");
  }

  @Test
  void mmluTaskCarriesLmEvalTemplate() {
    TaskSpec t = registry.task("mmlu-high_school_biology").orElseThrow();
    assertThat(t.description())
        .isEqualTo(
            "The following are multiple choice questions (with answers) about high school"
                + " biology.\n\n");
    assertThat(t.fewshotSplit()).isEqualTo("dev");
    assertThat(t.testSplit()).isEqualTo("test");
    assertThat(t.targetDelimiter()).isEqualTo(" ");
    assertThat(t.fewshotDelimiter()).isEqualTo("\n\n");
    assertThat(t.attributes()).containsEntry("category", "stem");
    assertThat(t.lmEvalName()).isEqualTo("mmlu_high_school_biology");
  }

  @Test
  void bpbTasks() {
    assertThat(registry.leaves("paloma")).hasSize(16);
    assertThat(registry.task("paloma-c4_en").orElseThrow().outputType())
        .isEqualTo(OutputType.LOGLIKELIHOOD_ROLLING);
    assertThat(registry.task("c4-en")).isPresent();
    assertThat(registry.task("wikitext-103").orElseThrow().dataset())
        .containsEntry("config", "wikitext-103-raw-v1");
    assertThat(registry.task("wikitext-2").orElseThrow().detokenizer()).isEqualTo("wikitext");
  }

  @Test
  void resolveDeduplicatesAndKeepsOrder() {
    Selection s = registry.resolve("mmlu-anatomy, mmlu-science,paloma-ptb");
    assertThat(s.requested()).containsExactly("mmlu-anatomy", "mmlu-science", "paloma-ptb");
    assertThat(s.tasks()).hasSize(17);
    assertThat(s.tasks().get(0).name()).isEqualTo("mmlu-anatomy");
    assertThat(s.tasks().get(16).name()).isEqualTo("paloma-ptb");
    assertThat(s.groups()).containsOnlyKeys("mmlu-science");
  }

  @Test
  void unknownNamesAreClearErrors() {
    assertThatThrownBy(() -> registry.resolve("mmlu_anatomy"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("unknown task or group 'mmlu_anatomy'")
        .hasMessageContaining("mmlu-anatomy");
    assertThatThrownBy(() -> registry.resolve("mmlu-anatomy,,x"))
        .hasMessageContaining("empty task name");
  }

  @Test
  void userYamlAddsAGroupWithoutJava(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("mine.yaml"),
        """
        groups:
          - name: my-bio
            tasks: [mmlu-anatomy, mmlu-virology, paloma-ptb]
        """);
    TaskRegistry r = TaskRegistry.withIncludes(List.of(dir));
    assertThat(r.leaves("my-bio"))
        .extracting(TaskSpec::name)
        .containsExactly("mmlu-anatomy", "mmlu-virology", "paloma-ptb");
  }

  @Test
  void badYamlNamesFileAndKey(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("bad.yaml"),
        """
        groups:
          - name: g
            taks: [mmlu-anatomy]
        """);
    assertThatThrownBy(() -> TaskRegistry.withIncludes(List.of(dir)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("bad.yaml")
        .hasMessageContaining("unknown key 'taks'");
    Files.writeString(
        dir.resolve("bad.yaml"),
        """
        groups:
          - name: g
            tasks: [mmlu-nope]
        """);
    assertThatThrownBy(() -> TaskRegistry.withIncludes(List.of(dir)))
        .hasMessageContaining("unknown task or group 'mmlu-nope'");
  }

  /** Issue 14: a name that becomes a file name cannot leave the output directory. */
  @Test
  void namesThatWouldEscapeTheOutputAreRefusedWithFileAndEntry(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("evil.yaml"),
        """
        suite: evil
        members:
          a: {}
        variants:
          - suffix: ""
            task:
              name: "x/../../.."
              output_type: loglikelihood_rolling
              dataset: {kind: c4, variant: en}
              test_split: validation
              metric_list: [{metric: bits_per_byte}]
        """);
    assertThatThrownBy(() -> TaskRegistry.withIncludes(List.of(dir)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("evil.yaml: variants[0] (task x/../../..)")
        .hasMessageContaining("task name 'x/../../..' may contain only letters, digits");
    Files.writeString(
        dir.resolve("evil.yaml"),
        """
        groups:
          - name: ok
            tasks: [mmlu-anatomy]
          - name: ".."
            tasks: [mmlu-anatomy]
        """);
    assertThatThrownBy(() -> TaskRegistry.withIncludes(List.of(dir)))
        .hasMessageContaining("evil.yaml: groups[1]: group name '..' would name a directory");
    Files.writeString(
        dir.resolve("evil.yaml"),
        """
        suite: "a b"
        groups: []
        """);
    assertThatThrownBy(() -> TaskRegistry.withIncludes(List.of(dir)))
        .hasMessageContaining("evil.yaml: suite name 'a b' may contain only");
  }

  @Test
  void templatesAndDatasetKindAreCheckedWhenTheRegistryLoads(@TempDir Path dir) throws Exception {
    String template =
        """
        suite: s
        members:
          anatomy: {}
        variants:
          - task:
              name: "s-{member}"
              output_type: multiple_choice
              dataset: {kind: KIND, subject: "{member}"}
              test_split: test
              doc_to_text: "TEXT"
              doc_to_choice: "{{choices}}"
              doc_to_target: answer
              metric_list: [{metric: acc}]
        """;
    Files.writeString(
        dir.resolve("s.yaml"),
        template.replace("KIND", "mmlu").replace("TEXT", "{{question | upper}}"));
    assertThatThrownBy(() -> TaskRegistry.withIncludes(List.of(dir)))
        .hasMessageContaining("s.yaml: variants[0] (task s-anatomy): doc_to_text:")
        .hasMessageContaining("unsupported '| upper'");
    Files.writeString(
        dir.resolve("s.yaml"),
        template.replace("KIND", "mmlu").replace("TEXT", "{% if question %}x{% endif %}"));
    assertThatThrownBy(() -> TaskRegistry.withIncludes(List.of(dir)))
        .hasMessageContaining("s.yaml: variants[0] (task s-anatomy): doc_to_text:")
        .hasMessageContaining("statements and comments are not supported");
    Files.writeString(
        dir.resolve("s.yaml"), template.replace("KIND", "arc").replace("TEXT", "{{question}}"));
    assertThatThrownBy(() -> TaskRegistry.withIncludes(List.of(dir)))
        .hasMessageContaining("s.yaml: variants[0] (task s-anatomy): dataset kind 'arc'");
    Files.writeString(
        dir.resolve("s.yaml"),
        template.replace("KIND", "mmlu").replace("TEXT", "Q: {{question.strip()}}"));
    TaskSpec t = TaskRegistry.withIncludes(List.of(dir)).task("s-anatomy").orElseThrow();
    assertThat(t.choice().docToText().yaml()).isEqualTo("Q: {{question.strip()}}");
    assertThat(t.datasetKind()).isEqualTo(evalh.tasks.registry.DatasetKind.MMLU);
  }
}
