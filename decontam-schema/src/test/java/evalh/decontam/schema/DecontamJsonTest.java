package evalh.decontam.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecontamJsonTest {
  @TempDir Path tmp;

  private Path write(String json) throws Exception {
    return Files.writeString(tmp.resolve("decontam.json"), json);
  }

  @Test
  void readsLabelsAndTheCorpusName() throws Exception {
    Path f =
        write(
            "{\"schema\": \"evalh.decontam/1\", \"index\": {\"dir\": \"indexes/dclm\"},"
                + " \"tasks\": {\"arc\": {\"items\": [{\"doc_id\": 3, \"dirty\": true,"
                + " \"overlap\": 0.9}, {\"doc_id\": 4, \"dirty\": false}]}}}");
    DirtyLabels l = DecontamJson.read(tmp);
    assertThat(l.file()).isEqualTo(f);
    assertThat(l.corpusName()).isEqualTo("indexes/dclm");
    assertThat(l.items()).isEqualTo(Map.of("arc", Map.of(3, true, 4, false)));
    assertThat(l.covers("arc")).isTrue();
    assertThat(l.covers("hellaswag")).isFalse();
    assertThat(l.dirtyIds("arc")).containsExactly(3);
    assertThat(l.isDirty("arc", 5)).isEmpty();
  }

  /** The paraphrase pass's additive field: suspects are not clean; without it nothing changes. */
  @Test
  void readsParaphraseSuspects() throws Exception {
    write(
        "{\"schema\": \"evalh.decontam/1\", \"tasks\": {\"arc\": {\"items\": [{\"doc_id\": 3,"
            + " \"dirty\": true, \"paraphrase\": {\"suspect\": false}}, {\"doc_id\": 4,"
            + " \"dirty\": false, \"paraphrase\": {\"suspect\": true, \"score\": 0.7}},"
            + " {\"doc_id\": 5, \"dirty\": false, \"paraphrase\": {\"suspect\": false}}]},"
            + " \"obqa\": {\"items\": [{\"doc_id\": 0, \"dirty\": false}]}}}");
    DirtyLabels l = DecontamJson.read(tmp);
    assertThat(l.dirtyIds("arc")).containsExactly(3);
    assertThat(l.notCleanIds("arc")).containsExactly(3, 4);
    assertThat(l.isNotClean("arc", 4)).contains(true);
    assertThat(l.isNotClean("arc", 5)).contains(false);
    assertThat(l.isNotClean("arc", 9)).isEmpty();
    assertThat(l.hasParaphrase("arc")).isTrue();
    assertThat(l.hasParaphrase("obqa")).isFalse();
    assertThat(l.notCleanIds("obqa")).isEmpty();
    write(
        "{\"schema\": \"evalh.decontam/1\", \"tasks\": {\"t\": {\"items\": [{\"doc_id\": 1,"
            + " \"dirty\": false, \"paraphrase\": {\"suspect\": \"yes\"}}]}}}");
    assertThatThrownBy(() -> DecontamJson.read(tmp))
        .hasMessageContaining("tasks.t.items[0].paraphrase: missing boolean 'suspect'");
  }

  /** Both former readers' rules at once: the schema is required, and ids are integers. */
  @Test
  void schemaIsRequiredByEveryCommand() throws Exception {
    write("{\"tasks\": {}}");
    assertThatThrownBy(() -> DecontamJson.read(tmp))
        .hasMessageContaining("schema is missing, expected evalh.decontam/1");
    write("{\"schema\": \"lm-eval/overlap\", \"tasks\": {}}");
    assertThatThrownBy(() -> DecontamJson.read(tmp))
        .hasMessageContaining("schema is 'lm-eval/overlap', expected evalh.decontam/1");
    write(
        "{\"schema\": \"evalh.decontam/1\", \"tasks\": {\"t\": {\"items\": [{\"doc_id\": 1.5,"
            + " \"dirty\": true}]}}}");
    assertThatThrownBy(() -> DecontamJson.read(tmp))
        .hasMessageContaining("tasks.t.items[0]: missing integer 'doc_id'");
    write("{\"schema\": \"evalh.decontam/1\", \"tasks\": {\"t\": {\"items\": {}}}}");
    assertThatThrownBy(() -> DecontamJson.read(tmp))
        .hasMessageContaining("tasks.t.items: expected a list");
    write("{\"schema\": ");
    assertThatThrownBy(() -> DecontamJson.read(tmp)).hasMessageContaining("not valid JSON");
  }
}
