package evalh.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.check.CheckItem;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Benchmark items planted into a synthetic corpus in four ways; recall per kind and false positives
 * on never-inserted items. Every planted run is at least 16 tokens, so with stride 4 (guaranteed
 * run n+s-1 = 16) recall must stay perfect too.
 */
class PlantedContaminationTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(ints = {1, 4})
  void recallPerInsertionKindAndNoFalsePositives(int stride) throws Exception {
    PlantedCorpus pc = PlantedCorpus.generate(tmp);
    List<CheckItem> items = pc.items();
    Path corpus = pc.dir();
    NgramScheme scheme = new NgramScheme(Normalization.JANITOR, 13, stride);
    StringWriter log = new StringWriter();
    new CorpusIndexer(
            tmp.resolve("index"),
            new BuildOptions(scheme, List.of("text"), "id", 2, 64),
            new PrintWriter(log))
        .build(CorpusFiles.expand(List.of(corpus.toString())));
    List<ItemMatch> got;
    try (NgramIndex index = NgramIndex.open(tmp.resolve("index"))) {
      got = new ItemChecker(index, CheckSettings.defaults(), new PrintWriter(log)).check(items);
    }
    Map<PlantedCorpus.Kind, int[]> perKind = new EnumMap<>(PlantedCorpus.Kind.class);
    for (int i = 0; i < items.size(); i++) {
      int[] c = perKind.computeIfAbsent(pc.kind(i), k -> new int[3]);
      c[0]++;
      c[1] += got.get(i).dirty() ? 1 : 0;
      c[2] += got.get(i).answerLeak() ? 1 : 0;
    }
    StringBuilder table = new StringBuilder("stride " + stride + ":\n");
    perKind.forEach(
        (k, c) ->
            table.append(
                String.format(
                    Locale.ROOT,
                    "  %-22s %3d items  %s %5.1f%%  answer_leak %d%n",
                    k,
                    c[0],
                    k == PlantedCorpus.Kind.NEVER_INSERTED ? "false positives" : "recall",
                    100.0 * c[1] / c[0],
                    c[2])));
    System.out.print(table);
    for (PlantedCorpus.Kind k : PlantedCorpus.Kind.values()) {
      int[] c = perKind.get(k);
      if (k == PlantedCorpus.Kind.NEVER_INSERTED) {
        assertThat(c[1]).as(table.toString()).isZero();
        assertThat(c[2]).as(table.toString()).isZero();
      } else {
        assertThat(c[1]).as(table.toString()).isEqualTo(c[0]);
      }
    }
    assertThat(perKind.get(PlantedCorpus.Kind.QA_REWRITE)[2])
        .as("QA rewrites state the gold answer")
        .isEqualTo(perKind.get(PlantedCorpus.Kind.QA_REWRITE)[0]);
    assertThat(perKind.get(PlantedCorpus.Kind.VERBATIM)[2])
        .as("a verbatim copy shows the choices, not which is gold")
        .isZero();
    for (int i = 0; i < items.size(); i++) {
      ItemMatch m = got.get(i);
      if (pc.kind(i) == PlantedCorpus.Kind.VERBATIM && stride == 1) {
        assertThat(m.coverage()).isEqualTo(1.0);
        assertThat(m.llama2Buckets()).containsExactly("not_clean", "dirty");
        assertThat(m.longestRun()).isEqualTo(m.tokens());
      }
      if (pc.kind(i) == PlantedCorpus.Kind.NEVER_INSERTED) {
        assertThat(m.llama2Buckets()).containsExactly("clean", "not_dirty");
        assertThat(m.topDocs()).isEmpty();
      }
      if (pc.kind(i) != PlantedCorpus.Kind.NEVER_INSERTED) {
        assertThat(m.topDocs()).isNotEmpty();
        assertThat(m.topDocs().getFirst().snippet()).isNotBlank();
      }
    }
  }
}
