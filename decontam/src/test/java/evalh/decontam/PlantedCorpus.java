package evalh.decontam;

import evalh.decontam.bench.SyntheticText;
import evalh.decontam.check.CheckItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Test data: 250 MMLU-like items over a synthetic corpus of 400 documents in three files (plain,
 * gzip, zstd JSONL); items are planted in four ways (verbatim; case, punctuation and whitespace
 * changed; truncated to 60% of the question, at least 16 tokens; rewritten as "Q: ... A: The
 * correct answer is <gold>.") and a fifth are never inserted. Shared with the Spark module's tests
 * through the test jar.
 */
public final class PlantedCorpus {
  /** How an item was planted. */
  public enum Kind {
    VERBATIM,
    CASE_PUNCT_WHITESPACE,
    TRUNCATED,
    QA_REWRITE,
    NEVER_INSERTED
  }

  private final Path dir;
  private final List<CheckItem> items;
  private final Kind[] kinds;

  private PlantedCorpus(Path dir, List<CheckItem> items, Kind[] kinds) {
    this.dir = dir;
    this.items = items;
    this.kinds = kinds;
  }

  /** The corpus directory. */
  public Path dir() {
    return dir;
  }

  public List<CheckItem> items() {
    return items;
  }

  public Kind kind(int item) {
    return kinds[item];
  }

  static String perturb(String text, SplittableRandom r) {
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

  /** Writes the corpus under {@code dir/corpus}. */
  public static PlantedCorpus generate(Path dir) throws IOException {
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
    Path corpus = Files.createDirectories(dir.resolve("corpus"));
    String[] names = {"p.jsonl", "p.jsonl.gz", "p.jsonl.zst"};
    for (int f = 0; f < 3; f++) {
      List<String> lines = new ArrayList<>();
      for (int d = f; d < docs.size(); d += 3) {
        lines.add(Fixtures.line("doc" + d, docs.get(d)));
      }
      Fixtures.write(corpus.resolve(names[f]), lines);
    }
    return new PlantedCorpus(corpus, items, kinds);
  }
}
