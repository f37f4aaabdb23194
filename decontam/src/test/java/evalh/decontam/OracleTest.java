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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On generated corpora with a tiny vocabulary (so n-grams recur across many documents), every
 * per-item count and label from the Lucene index equals a naive HashMap-of-n-gram-strings oracle.
 */
class OracleTest {
  private static final String[] VOCAB = {
    "the", "a", "of", "cell", "acid", "energy", "is", "to", "which", "atom", "mass", "café", "über",
    "x2", "law", "force", "gene", "and", "not", "wave", "light", "heat", "ion", "base"
  };
  private static final String[] SEPARATORS = {
    " ", " ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u3000", " -- ", " , "
  };

  private static final String BOILERPLATE = "Which of the following statements is the best answer?";

  @TempDir Path tmp;

  private static String word(SplittableRandom r) {
    // Zipf-ish: low indices much more frequent
    int i = (int) Math.min(VOCAB.length - 1, Math.abs(r.nextGaussian()) * 7);
    String w = VOCAB[i];
    return switch (r.nextInt(12)) {
      case 0 -> w.toUpperCase(java.util.Locale.ROOT);
      case 1 -> Character.toUpperCase(w.charAt(0)) + w.substring(1);
      case 2 -> w + ",";
      case 3 -> "(" + w + ")";
      case 4 -> w + "'s";
      case 5 -> "\"" + w + "!\"";
      default -> w;
    };
  }

  private static String text(SplittableRandom r, int words) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        sb.append(SEPARATORS[r.nextInt(SEPARATORS.length)]);
      }
      sb.append(word(r));
    }
    return sb.toString();
  }

  @Test
  void everyPerItemCountEqualsTheNaiveOracle() throws Exception {
    for (int n : new int[] {4, 6}) {
      check(n, 3, tmp.resolve("n" + n));
    }
  }

  private void check(int n, int cap, Path dir) throws Exception {
    SplittableRandom r = new SplittableRandom(42 + n);
    NaiveOracle oracle = new NaiveOracle(n);
    List<String> docs = new ArrayList<>();
    for (int d = 0; d < 600; d++) {
      // a fifth of the documents share a boilerplate opening (document frequency above the cap)
      docs.add((d % 5 == 0 ? BOILERPLATE + " " : "") + text(r, 1 + r.nextInt(60)));
    }
    String[] names = {"a.jsonl", "b.jsonl.gz", "c.jsonl.zst"};
    java.nio.file.Files.createDirectories(dir.resolve("corpus"));
    for (int f = 0; f < 3; f++) {
      List<String> lines = new ArrayList<>();
      for (int d = f; d < docs.size(); d += 3) {
        lines.add(Fixtures.line("d" + d, docs.get(d)));
        oracle.addDoc(docs.get(d));
      }
      Fixtures.write(dir.resolve("corpus").resolve(names[f]), lines);
    }
    NgramScheme scheme = new NgramScheme(Normalization.JANITOR, n, 1);
    BuildOptions opts = new BuildOptions(scheme, List.of("text"), "id", 2, 0.25);
    StringWriter log = new StringWriter();
    BuildReport br =
        new CorpusIndexer(dir.resolve("index"), opts, new PrintWriter(log))
            .build(CorpusFiles.expand(List.of(dir.resolve("corpus").toString())));
    assertThat(br.totalDocs()).isEqualTo(600);

    List<CheckItem> items = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String t;
      switch (i % 4) {
        case 0 -> // random, partial chance overlaps, some with boilerplate
            t = (i % 8 == 0 ? BOILERPLATE + " " : "") + text(r, 1 + r.nextInt(25));
        case 1 -> {
          // a span copied from a document, re-decorated
          List<String> src = NaiveOracle.normalize(docs.get(r.nextInt(docs.size())));
          int len = Math.min(src.size(), 1 + r.nextInt(20));
          int from = r.nextInt(src.size() - len + 1);
          t =
              String.join(r.nextBoolean() ? " " : " ; ", src.subList(from, from + len))
                  .toUpperCase(java.util.Locale.ROOT);
        }
        case 2 -> t = text(r, 1 + r.nextInt(n)); // mostly short items
        default -> t = docs.get(r.nextInt(docs.size())) + " " + text(r, r.nextInt(5));
      }
      items.add(
          new CheckItem(
              "t" + (i % 3),
              i,
              t,
              VOCAB[r.nextInt(VOCAB.length)] + (r.nextBoolean() ? "" : " " + VOCAB[r.nextInt(5)])));
    }
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
      System.out.printf("oracle n=%d: %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
      // the generated data exercises every branch: dirty and clean, short and long, boilerplate
      assertThat(dirty).isBetween(30, 270);
      assertThat(shorts).isGreaterThan(20);
      assertThat(got.stream().filter(m -> m.matchedNgrams() > m.matchedNonBoilerplate()).count())
          .isPositive();
      assertThat(got.stream().filter(ItemMatch::answerLeak).count()).isPositive();
    }
  }
}
