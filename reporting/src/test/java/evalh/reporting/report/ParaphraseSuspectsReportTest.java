package evalh.reporting.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.reporting.CliRun;
import evalh.reporting.RunFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decontam.json with the paraphrase pass: the contamination panel shows the suspects per task
 * (none where the pass did not run), and the clean/dirty split puts suspects with the dirty items.
 */
class ParaphraseSuspectsReportTest {
  @TempDir Path tmp;

  @Test
  void suspectsPerTaskAndNotClean() throws Exception {
    Path run =
        RunFixture.of("/ckpts/mix-a")
            .mc("mmlu-anatomy", RunFixture.correct(100, 60))
            .mc("mmlu-virology", RunFixture.correct(80, 40))
            .group("mmlu-science", "mmlu-anatomy", "mmlu-virology")
            .writeTo(tmp.resolve("runs/a"));
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("schema", "evalh.decontam/1");
    root.putObject("corpus").put("name", "qa-rewrites");
    ObjectNode tasks = root.putObject("tasks");
    ArrayNode anatomy = tasks.putObject("mmlu-anatomy").putArray("items");
    // dirty: 0; suspects: 1, 2 (right) and 70 (wrong)
    Set<Integer> suspects = Set.of(1, 2, 70);
    for (int i = 0; i < 100; i++) {
      ObjectNode it =
          anatomy
              .addObject()
              .put("doc_id", i)
              .put("dirty", i == 0)
              .put("content_hash", RunFixture.itemHash("mmlu-anatomy", i, Map.of()));
      it.putObject("paraphrase").put("suspect", suspects.contains(i));
    }
    ArrayNode virology = tasks.putObject("mmlu-virology").putArray("items");
    for (int i = 0; i < 80; i++) {
      virology
          .addObject()
          .put("doc_id", i)
          .put("dirty", i == 5)
          .put("content_hash", RunFixture.itemHash("mmlu-virology", i, Map.of()));
    }
    Path d = tmp.resolve("decontam.json");
    Files.writeString(d, json.writeValueAsString(root));
    Path out = tmp.resolve("r/report.html");
    CliRun r =
        CliRun.of(
            new ReportCommand(),
            run.toString(),
            "--decontam",
            d.toString(),
            "--out",
            out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String md = Files.readString(tmp.resolve("r/report.md"));
    assertThat(md).contains("| mmlu-anatomy | 1/100 (1.0%) + 3 suspects |");
    assertThat(md).contains("| mmlu-virology | 1/80 (1.3%) |");
    assertThat(Files.readString(out)).contains("1/100 (1.0%) + 3 suspects");
    // not clean = {0, 1, 2, 70}: 3 of 4 right; clean: 57 of 96 right
    assertThat(md).contains(ReportFormat.f("%.1f", 100.0 * 57 / 96));
    assertThat(md).contains("75.0");
  }
}
