package evalh.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.check.CheckItem;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.DocHit;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.BuildReport;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On generated corpora with a tiny vocabulary (so n-grams recur across many documents), every
 * per-item count and label from the Lucene index equals a naive HashMap-of-n-gram-strings oracle.
 */
class OracleTest {
  @TempDir Path tmp;

  @Test
  void everyPerItemCountEqualsTheNaiveOracle() throws Exception {
    for (int n : new int[] {4, 6}) {
      check(n, 3, tmp.resolve("n" + n));
    }
  }

  private void check(int n, int cap, Path dir) throws Exception {
    GeneratedCorpus gc = GeneratedCorpus.generate(dir, n);
    NaiveOracle oracle = new NaiveOracle(n);
    gc.docsPerFile().forEach(f -> f.forEach(oracle::addDoc));
    NgramScheme scheme = new NgramScheme(Normalization.JANITOR, n, 1);
    BuildOptions opts = new BuildOptions(scheme, List.of("text"), "id", 2, 0.25);
    StringWriter log = new StringWriter();
    BuildReport br =
        new CorpusIndexer(dir.resolve("index"), opts, new PrintWriter(log))
            .build(CorpusFiles.expand(List.of(dir.resolve("corpus").toString())));
    assertThat(br.totalDocs()).isEqualTo(600);

    List<CheckItem> items = gc.items();
    long t0 = System.nanoTime();
    int topDocs = 3;
    try (NgramIndex index = NgramIndex.open(dir.resolve("index"))) {
      List<ItemMatch> got =
          new ItemChecker(
                  index, new CheckSettings(cap, topDocs, 1_000_000, true, 2), new PrintWriter(log))
              .check(items);
      int dirty = 0;
      int shorts = 0;
      for (int i = 0; i < items.size(); i++) {
        CheckItem it = items.get(i);
        NaiveOracle.Expected e = oracle.expect(it.text(), it.answer(), cap, topDocs);
        ItemMatch m = got.get(i);
        String ctx = "n=" + n + " item " + i + ": " + it.text();
        assertThat(m.tokens()).as(ctx).isEqualTo(e.tokens());
        assertThat(m.ngrams()).as(ctx).isEqualTo(e.ngrams());
        assertThat(m.matchedNgrams()).as(ctx).isEqualTo(e.matched());
        assertThat(m.matchedNonBoilerplate()).as(ctx).isEqualTo(e.nonBoilerplate());
        assertThat(m.coverage()).as(ctx).isEqualTo(e.coverage());
        assertThat(m.longestRun()).as(ctx).isEqualTo(e.longestRun());
        assertThat(m.maxDocFreq()).as(ctx).isEqualTo(e.maxDf());
        assertThat(m.dirty()).as(ctx).isEqualTo(e.dirty());
        assertThat(m.answerLeak()).as(ctx).isEqualTo(e.answerLeak());
        assertThat(m.topDocs().stream().map(DocHit::matchedNgrams).toList())
            .as(ctx)
            .isEqualTo(e.topVotes());
        for (DocHit h : m.topDocs()) {
          assertThat(h.snippet()).as(ctx).isNotNull();
          assertThat(h.highlights()).as(ctx).isNotEmpty();
        }
        dirty += m.dirty() ? 1 : 0;
        shorts += m.isShort() ? 1 : 0;
      }
      System.out.printf(Locale.ROOT, "oracle n=%d: %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
      // the generated data exercises every branch: dirty and clean, short and long, boilerplate
      assertThat(dirty).isBetween(30, 270);
      assertThat(shorts).isGreaterThan(20);
      assertThat(got.stream().filter(m -> m.matchedNgrams() > m.matchedNonBoilerplate()).count())
          .isPositive();
      assertThat(got.stream().filter(ItemMatch::answerLeak).count()).isPositive();
    }
  }
}
