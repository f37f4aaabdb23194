package evalh.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.bench.SyntheticText;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Benchmark items planted into a synthetic corpus in four ways; recall per kind and false positives
 * on never-inserted items. Every planted run is at least 16 tokens, so with stride 4 (guaranteed
 * run n+s-1 = 16) recall must stay perfect too.
 */
class PlantedContaminationTest {
  enum Kind {
    VERBATIM,
    CASE_PUNCT_WHITESPACE,
    TRUNCATED,
    QA_REWRITE,
    NEVER_INSERTED
  }

  @TempDir Path tmp;

  private static String perturb(String text, SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    String[] seps = {" ", "  ", "\n", "\t", "\u00a0", " -- ", " , ", " ... "};
    for (String w : text.split("\\s+")) {
      if (!sb.isEmpty()) {
        sb.append(seps[r.nextInt(seps.length)]);
      }
      String x =
          switch (r.nextInt(5)) {
            case 0 -> w.toUpperCase(Locale.ROOT);
            case 1 -> "\"" + w + "\"";
            case 2 -> w + "!?";
            case 3 -> "(" + w.charAt(0) + "'" + w.substring(1) + ")";
            default -> w;
          };
      sb.append(x);
    }
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4})
  void recallPerInsertionKindAndNoFalsePositives(int stride) throws Exception {
    SplittableRandom r = new SplittableRandom(2024);
    SyntheticText filler = new SyntheticText(20_000, "", 1);
    SyntheticText answers = new SyntheticText(2_000, "ans", 2);
    List<CheckItem> items = new ArrayList<>();
    List<List<String>> choices = new ArrayList<>();
    List<String> questions = new ArrayList<>();
    List<Integer> golds = new ArrayList<>();
    Kind[] kinds = new Kind[250];
    for (int i = 0; i < 250; i++) {
      String q = filler.prose(r, 27 + r.nextInt(40)).strip();
      List<String> cs = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        cs.add(String.join(" ", answers.words(r, 1 + r.nextInt(4))));
      }
      int gold = r.nextInt(4);
      questions.add(q);
      choices.add(cs);
      golds.add(gold);
      items.add(CheckItem.multipleChoice("t" + (i % 5), i, q, cs, gold));
      kinds[i] = Kind.values()[i % 5];
    }
    List<String> docs = new ArrayList<>();
    for (int d = 0; d < 400; d++) {
      docs.add(filler.prose(r, 50 + r.nextInt(400)));
    }
    for (int i = 0; i < items.size(); i++) {
      String planted =
          switch (kinds[i]) {
            case VERBATIM -> items.get(i).text();
            case CASE_PUNCT_WHITESPACE -> perturb(items.get(i).text(), r);
            case TRUNCATED -> {
              String[] w = questions.get(i).split("\\s+");
              int keep = Math.max(16, (int) (w.length * 0.6));
              yield String.join(" ", Arrays.copyOfRange(w, 0, keep));
            }
            case QA_REWRITE ->
                "Q: "
                    + questions.get(i)
                    + "\nA: The correct answer is "
                    + choices.get(i).get(golds.get(i))
                    + ".";
            case NEVER_INSERTED -> null;
          };
      if (planted != null) {
        int d = r.nextInt(docs.size());
        docs.set(d, docs.get(d) + "\n" + planted + "\n" + filler.prose(r, 30));
      }
    }
    Path corpus = Files.createDirectories(tmp.resolve("corpus"));
    String[] names = {"p.jsonl", "p.jsonl.gz", "p.jsonl.zst"};
    for (int f = 0; f < 3; f++) {
      List<String> lines = new ArrayList<>();
      for (int d = f; d < docs.size(); d += 3) {
        lines.add(Fixtures.line("doc" + d, docs.get(d)));
      }
      Fixtures.write(corpus.resolve(names[f]), lines);
    }
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
    Map<Kind, int[]> perKind = new EnumMap<>(Kind.class);
    for (int i = 0; i < items.size(); i++) {
      int[] c = perKind.computeIfAbsent(kinds[i], k -> new int[3]);
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
                    k == Kind.NEVER_INSERTED ? "false positives" : "recall",
                    100.0 * c[1] / c[0],
                    c[2])));
    System.out.print(table);
    for (Kind k : Kind.values()) {
      int[] c = perKind.get(k);
      if (k == Kind.NEVER_INSERTED) {
        assertThat(c[1]).as(table.toString()).isZero();
        assertThat(c[2]).as(table.toString()).isZero();
      } else {
        assertThat(c[1]).as(table.toString()).isEqualTo(c[0]);
      }
    }
    assertThat(perKind.get(Kind.QA_REWRITE)[2])
        .as("QA rewrites state the gold answer")
        .isEqualTo(perKind.get(Kind.QA_REWRITE)[0]);
    assertThat(perKind.get(Kind.VERBATIM)[2])
        .as("a verbatim copy shows the choices, not which is gold")
        .isZero();
    for (int i = 0; i < items.size(); i++) {
      ItemMatch m = got.get(i);
      if (kinds[i] == Kind.VERBATIM && stride == 1) {
        assertThat(m.coverage()).isEqualTo(1.0);
        assertThat(m.llama2Buckets()).containsExactly("not_clean", "dirty");
        assertThat(m.longestRun()).isEqualTo(m.tokens());
      }
      if (kinds[i] == Kind.NEVER_INSERTED) {
        assertThat(m.llama2Buckets()).containsExactly("clean", "not_dirty");
        assertThat(m.topDocs()).isEmpty();
      }
      if (kinds[i] != Kind.NEVER_INSERTED) {
        assertThat(m.topDocs()).isNotEmpty();
        assertThat(m.topDocs().getFirst().snippet()).isNotBlank();
      }
    }
  }
}
