package evalh.decontam.paraphrase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.decontam.cli.DecontamCommand;
import evalh.spark.SparkTestSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code evalh decontam --paraphrase --engine spark} (scan mode: the corpus's windows streamed past
 * the items, no window index) writes the same paraphrase results as the local window index on the
 * labelled rephrase set's planted corpus: every item's score, verdict and shown windows, every
 * task's threshold and estimated false-positive rate. (In this package for the rephrase set.)
 */
class SparkParaphraseScanTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private JsonNode run(List<String> args, String out) throws Exception {
    StringWriter sw = new StringWriter();
    CommandLine cl = new CommandLine(new DecontamCommand());
    cl.setOut(new PrintWriter(sw));
    cl.setErr(new PrintWriter(sw));
    List<String> all = new ArrayList<>(args);
    all.add("--out");
    all.add(out);
    int rc = cl.execute(all.toArray(String[]::new));
    assertThat(rc).as(sw.toString()).isZero();
    return JSON.readTree(Path.of(out).resolve("decontam.json").toFile());
  }

  @Test
  void sparkScanGivesTheLocalIndexsParaphraseResults() throws Exception {
    SparkTestSession.get();
    RephraseSet set = RephraseSet.load();
    Path corpus = set.writeCorpus(tmp.resolve("corpus"));
    Path items = set.writeItems(tmp.resolve("items.jsonl"));
    List<String> common =
        List.of("--items", items.toString(), "--corpus", corpus.toString(), "--paraphrase");
    List<String> local = new ArrayList<>(common);
    local.addAll(List.of("--index-root", tmp.resolve("idx").toString(), "--threads", "2"));
    List<String> spark = new ArrayList<>(common);
    spark.addAll(List.of("--engine", "spark", "--master", "local[2]"));
    JsonNode l = run(local, tmp.resolve("r-local").toString());
    JsonNode s = run(spark, tmp.resolve("r-spark").toString());
    int suspects = 0;
    int itemsSeen = 0;
    for (Map.Entry<String, JsonNode> t : l.path("tasks").properties()) {
      JsonNode st = s.path("tasks").path(t.getKey());
      assertThat(st.path("paraphrase")).as(t.getKey()).isEqualTo(t.getValue().path("paraphrase"));
      JsonNode li = t.getValue().path("items");
      JsonNode si = st.path("items");
      assertThat(si.size()).isEqualTo(li.size());
      for (int i = 0; i < li.size(); i++) {
        JsonNode p = li.get(i).path("paraphrase");
        assertThat(si.get(i).path("paraphrase")).as(t.getKey() + " " + i).isEqualTo(p);
        suspects += p.path("suspect").asBoolean() ? 1 : 0;
        itemsSeen++;
      }
    }
    assertThat(itemsSeen).isEqualTo(set.items.size());
    assertThat(suspects).isGreaterThan(20); // the planted rephrases: a comparison with content
    assertThat(s.path("tasks")).isEqualTo(l.path("tasks"));
  }
}
