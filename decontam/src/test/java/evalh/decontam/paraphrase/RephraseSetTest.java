package evalh.decontam.paraphrase;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.NgramIndex;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paraphrase pass on the labelled rephrase set with default settings (chosen on the tuning half
 * only): precision, recall and F1 on the test half reach the targets, F1 >= 0.85 overall
 * and >= 0.75 in every subject (measured: 0.857 overall, abstract algebra 0.769, biology 0.889, US
 * history 0.941, sociology 0.800), and the 13-gram pass alone misses most of the planted rephrases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RephraseSetTest {
  Path tmp;
  RephraseSet set;
  ParaphraseChecker.Result result;
  Path corpus;

  @BeforeAll
  void checkAll(@TempDir Path dir) throws Exception {
    tmp = dir;
    set = RephraseSet.load();
    corpus = set.writeCorpus(tmp.resolve("corpus"));
    RephraseSet.indexWindows(RephraseSet.files(corpus), tmp.resolve("windows"), 1);
    try (WindowIndex index = WindowIndex.open(tmp.resolve("windows"))) {
      result =
          new ParaphraseChecker(index, ParaphraseChecker.Settings.defaults())
              .check(set.paraphraseItems());
    }
  }

  /** [tp, fp, fn] per subject of one half, plus "all". */
  private Map<String, int[]> confusion(String half) {
    Map<String, int[]> m = new TreeMap<>();
    for (int i = 0; i < set.items.size(); i++) {
      RephraseSet.Labelled l = set.items.get(i);
      if (!l.half().equals(half)) {
        continue;
      }
      boolean flagged = result.matches().get(i).suspect();
      for (String k : List.of(l.subject(), "all")) {
        int[] c = m.computeIfAbsent(k, x -> new int[3]);
        if (flagged && l.positive()) {
          c[0]++;
        } else if (flagged) {
          c[1]++;
        } else if (l.positive()) {
          c[2]++;
        }
      }
    }
    return m;
  }

  static double f1(int[] c) {
    return 2.0 * c[0] / (2.0 * c[0] + c[1] + c[2]);
  }

  private String table(String half) {
    StringBuilder sb = new StringBuilder(half + " half:\n");
    confusion(half)
        .forEach(
            (k, c) ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        "  %-24s tp %2d fp %2d fn %2d  P %.3f R %.3f F1 %.3f%n",
                        k,
                        c[0],
                        c[1],
                        c[2],
                        c[0] / (double) Math.max(1, c[0] + c[1]),
                        c[0] / (double) Math.max(1, c[0] + c[2]),
                        f1(c))));
    for (int i = 0; i < set.items.size(); i++) {
      RephraseSet.Labelled l = set.items.get(i);
      ParaphraseMatch pm = result.matches().get(i);
      if (l.half().equals(half) && pm.suspect() != l.positive()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  %s %s %s score %.3f%n",
                pm.suspect() ? "FP" : "FN",
                l.id(),
                l.kind(),
                pm.score()));
      }
    }
    return sb.toString();
  }

  @Test
  void testHalfPrecisionRecallAndF1() {
    String report =
        table("tune")
            + table("test")
            + String.format(
                Locale.ROOT,
                "thresholds %s, estimated FPR %.4f%n",
                result.calibrations(),
                result.estimatedFpr());
    System.out.print(report);
    Map<String, int[]> test = confusion("test");
    assertThat(f1(test.get("all"))).as(report).isGreaterThanOrEqualTo(0.85);
    test.forEach((k, c) -> assertThat(f1(c)).as(k + "\n" + report).isGreaterThanOrEqualTo(0.75));
    assertThat(test.keySet()).hasSize(5);
  }

  @Test
  void theThirteenGramPassAloneMissesMostRephrases() throws Exception {
    StringWriter log = new StringWriter();
    new CorpusIndexer(tmp.resolve("ngrams"), BuildOptions.defaults(), new PrintWriter(log))
        .build(CorpusFiles.expand(List.of(corpus.toString())));
    List<ItemMatch> got;
    try (NgramIndex index = NgramIndex.open(tmp.resolve("ngrams"))) {
      got =
          new ItemChecker(index, CheckSettings.defaults(), new PrintWriter(log))
              .check(set.checkItems());
    }
    int positives = 0;
    int caught = 0;
    for (int i = 0; i < set.items.size(); i++) {
      if (set.items.get(i).positive()) {
        positives++;
        caught += got.get(i).dirty() ? 1 : 0;
      }
    }
    System.out.printf(
        Locale.ROOT, "13-gram pass: %d of %d planted rephrases dirty%n", caught, positives);
    assertThat(positives).isEqualTo(64);
    assertThat(caught).isLessThan(positives / 4);
  }
}
