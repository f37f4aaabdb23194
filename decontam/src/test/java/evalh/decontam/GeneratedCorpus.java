package evalh.decontam;

import evalh.decontam.check.CheckItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test data: 600 documents over a 24-word vocabulary (so n-grams recur across many documents) with
 * case, punctuation and Unicode-whitespace decoration, a fifth opening with a shared boilerplate
 * sentence (document frequency above any small cap), in three files (plain, gzip and zstd JSONL);
 * and 300 items: random text, re-decorated spans of documents, items shorter than n, and whole
 * documents. Shared with the Spark module's tests through the test jar.
 */
public final class GeneratedCorpus {
  private static final String[] VOCAB = {
    "the", "a", "of", "cell", "acid", "energy", "is", "to", "which", "atom", "mass", "café", "über",
    "x2", "law", "force", "gene", "and", "not", "wave", "light", "heat", "ion", "base"
  };
  private static final String[] SEPARATORS = {
    " ", " ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u3000", " -- ", " , "
  };

  private static final String BOILERPLATE = "Which of the following statements is the best answer?";

  static String word(SplittableRandom r) {
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

  static String text(SplittableRandom r, int words) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        sb.append(SEPARATORS[r.nextInt(SEPARATORS.length)]);
      }
      sb.append(word(r));
    }
    return sb.toString();
  }

  private final List<String> docs;
  private final List<List<String>> docsPerFile;
  private final List<CheckItem> items;
  private final Path dir;

  private GeneratedCorpus(
      Path dir, List<String> docs, List<List<String>> docsPerFile, List<CheckItem> items) {
    this.dir = dir;
    this.docs = docs;
    this.docsPerFile = docsPerFile;
    this.items = items;
  }

  public Path dir() {
    return dir;
  }

  public List<String> docs() {
    return docs;
  }

  /** Documents of each file, in file order. */
  public List<List<String>> docsPerFile() {
    return docsPerFile;
  }

  public List<CheckItem> items() {
    return items;
  }

  /** Writes the corpus under {@code dir/corpus}; {@code n} shapes the short items. */
  public static GeneratedCorpus generate(Path dir, int n) throws IOException {
    SplittableRandom r = new SplittableRandom(42 + n);
    List<String> docs = new ArrayList<>();
    for (int d = 0; d < 600; d++) {
      // a fifth of the documents share a boilerplate opening (document frequency above the cap)
      docs.add((d % 5 == 0 ? BOILERPLATE + " " : "") + text(r, 1 + r.nextInt(60)));
    }
    String[] names = {"a.jsonl", "b.jsonl.gz", "c.jsonl.zst"};
    Files.createDirectories(dir.resolve("corpus"));
    List<List<String>> perFile = new ArrayList<>();
    for (int f = 0; f < 3; f++) {
      List<String> lines = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      for (int d = f; d < docs.size(); d += 3) {
        lines.add(Fixtures.line("d" + d, docs.get(d)));
        texts.add(docs.get(d));
      }
      perFile.add(texts);
      Fixtures.write(dir.resolve("corpus").resolve(names[f]), lines);
    }
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
    return new GeneratedCorpus(dir.resolve("corpus"), docs, perFile, items);
  }
}
