package evalh.decontam.paraphrase;

import evalh.core.embed.SentenceEncoder;
import evalh.decontam.check.DocHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The paraphrase pass: per item, BM25 candidates from the window index re-scored by {@link
 * ParaphraseScore}; per null pseudo-item the same; the threshold from the null scores ({@link
 * Calibration}); the verdicts.
 */
public final class ParaphraseChecker {
  /**
   * How to check.
   *
   * @param topK BM25 candidate windows re-scored per item
   * @param shown best windows reported per item
   * @param targetFpr target false-positive rate per item for the calibrated threshold
   * @param threshold {@code --paraphrase-threshold}, or NaN to calibrate
   * @param minNullItems null pseudo-items drawn per task at least (at least one per item)
   * @param seed seed of the null draws
   * @param threads threads scoring items
   */
  public record Settings(
      int topK,
      int shown,
      double targetFpr,
      double threshold,
      int minNullItems,
      long seed,
      int threads) {
    public Settings {
      if (topK < 1 || shown < 1 || shown > topK) {
        throw new IllegalArgumentException("need 1 <= shown windows <= top-k, got " + shown);
      }
      if (!(targetFpr > 0 && targetFpr < 1)) {
        throw new IllegalArgumentException("--paraphrase-fpr must be in (0, 1), got " + targetFpr);
      }
      if (!Double.isNaN(threshold) && !(threshold >= 0 && threshold <= 1)) {
        throw new IllegalArgumentException(
            "--paraphrase-threshold must be a number in [0, 1], got " + threshold);
      }
    }

    public static Settings defaults() {
      return new Settings(20, 3, Calibration.DEFAULT_FPR, Double.NaN, 300, 20L, 1);
    }

    public Settings withThreshold(double t) {
      return new Settings(topK, shown, targetFpr, t, minNullItems, seed, threads);
    }

    public Settings withFpr(double f) {
      return new Settings(topK, shown, f, threshold, minNullItems, seed, threads);
    }

    public Settings withThreads(int t) {
      return new Settings(topK, shown, targetFpr, threshold, minNullItems, seed, t);
    }
  }

  /**
   * The verdicts of all items and how they were reached.
   *
   * @param items the items checked
   * @param matches per item, in input order
   * @param calibrations per task: its threshold and estimated false-positive rate
   * @param estimatedFpr over all null items, the fraction above their task's threshold
   * @param windows windows in the index
   * @param seconds wall time of the pass
   * @param encoder what the encoder is, or null without one
   */
  public record Result(
      List<ParaphraseItem> items,
      List<ParaphraseMatch> matches,
      Map<String, Calibration> calibrations,
      double estimatedFpr,
      Settings settings,
      long windows,
      double seconds,
      String encoder) {
    public long suspects() {
      return matches.stream().filter(ParaphraseMatch::suspect).count();
    }
  }

  private final WindowIndex index;
  private final Settings settings;
  private final SentenceEncoder encoder;
  private final ParaphraseAnalyzer analyzer = new ParaphraseAnalyzer();

  public ParaphraseChecker(WindowIndex index, Settings settings) {
    this(index, settings, null);
  }

  /**
   * With {@code encoder} (or null), every candidate window's score becomes {@link
   * ParaphraseScore#combine} of its lexical score and the cosine similarity of the item's and the
   * window's embeddings; calibration then runs on the combined scores.
   */
  public ParaphraseChecker(WindowIndex index, Settings settings, SentenceEncoder encoder) {
    this.index = index;
    this.settings = settings;
    this.encoder = encoder;
  }

  /** Checks {@code items}; their scores do not depend on the thread count. */
  public Result check(List<ParaphraseItem> items) {
    long t0 = System.nanoTime();
    List<List<String>> terms = items.stream().map(i -> ItemTerms.distinct(analyzer, i)).toList();
    Map<String, Integer> benchDf = ItemTerms.benchmarkDf(terms);
    int n = items.size();
    List<Scored> real =
        parallel(n, i -> best(terms.get(i), queryText(items.get(i)), benchDf, n, settings.shown()));
    List<NullItem> nulls = nullItems(items, terms);
    if (nulls.isEmpty() && Double.isNaN(settings.threshold())) {
      throw new IllegalArgumentException(
          "the paraphrase threshold is calibrated on null items drawn from the other items' words;"
              + " with one item there are none: give --paraphrase-threshold");
    }
    List<Scored> nullScored =
        parallel(
            nulls.size(),
            i -> best(nulls.get(i).terms(), String.join(" ", nulls.get(i).terms()), benchDf, n, 0));
    Map<String, List<Double>> byTask = new LinkedHashMap<>();
    items.forEach(it -> byTask.putIfAbsent(it.task(), new ArrayList<>()));
    for (int i = 0; i < nulls.size(); i++) {
      byTask.get(nulls.get(i).task()).add(nullScored.get(i).score());
    }
    Map<String, Calibration> cals = new LinkedHashMap<>();
    long above = 0;
    for (Map.Entry<String, List<Double>> e : byTask.entrySet()) {
      double[] scores = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
      Calibration c =
          scores.length == 0
              ? Calibration.userOnly(settings.threshold(), settings.targetFpr())
              : Calibration.of(scores, settings.targetFpr(), settings.threshold());
      cals.put(e.getKey(), c);
      for (double v : scores) {
        above += v > c.threshold() ? 1 : 0;
      }
    }
    List<ParaphraseMatch> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Scored s = real.get(i);
      double threshold = cals.get(items.get(i).task()).threshold();
      out.add(
          new ParaphraseMatch(
              items.get(i).task(),
              items.get(i).docId(),
              s.score() > threshold,
              s.score(),
              threshold,
              s.windows()));
    }
    double fpr = nulls.isEmpty() ? Double.NaN : (double) above / nulls.size();
    return new Result(
        List.copyOf(items),
        out,
        cals,
        fpr,
        settings,
        index.windows(),
        (System.nanoTime() - t0) / 1e9,
        encoder == null ? null : encoder.describe());
  }

  private record Scored(double score, List<ParaphraseMatch.WindowHit> windows) {}

  private interface Job {
    Scored run(int i);
  }

  private List<Scored> parallel(int count, Job job) {
    if (settings.threads() == 1) {
      List<Scored> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(job.run(i));
      }
      return out;
    }
    ForkJoinPool pool = new ForkJoinPool(settings.threads());
    try {
      return pool.submit(() -> IntStream.range(0, count).parallel().mapToObj(job::run).toList())
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** What the encoder embeds of an item: its question and gold answer. */
  static String queryText(ParaphraseItem item) {
    return item.answer().isEmpty() ? item.question() : item.question() + "\n" + item.answer();
  }

  /** The cosine similarity of {@code text} with each window, or null without an encoder. */
  private double[] cosines(String text, List<WindowIndex.WindowDoc> windows) {
    if (encoder == null) {
      return null;
    }
    List<String> texts = new ArrayList<>();
    texts.add(text);
    windows.forEach(w -> texts.add(w.text()));
    List<float[]> e;
    try {
      e = encoder.embed(texts);
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    double[] out = new double[windows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ParaphraseScore.cosine(e.get(0), e.get(i + 1));
    }
    return out;
  }

  /** The best score of an item's terms over its BM25 candidates, and its best {@code keep}. */
  private Scored best(
      List<String> terms, String text, Map<String, Integer> benchDf, int items, int keep) {
    if (terms.isEmpty()) {
      return new Scored(0, List.of());
    }
    ItemTerms it =
        ParaphraseScore.weigh(terms, index.docFreqs(terms), index.windows(), benchDf, items);
    double[] boosts = new double[terms.size()];
    for (int i = 0; i < boosts.length; i++) {
      boosts[i] = ParaphraseScore.templateFactor(benchDf.getOrDefault(terms.get(i), 0), items);
    }
    int[] cands = index.candidates(it, boosts, settings.topK());
    List<WindowIndex.WindowDoc> windows = new ArrayList<>();
    for (int doc : cands) {
      windows.add(index.window(doc));
    }
    double[] cos = cosines(text, windows);
    List<ParaphraseMatch.WindowHit> hits = new ArrayList<>();
    double best = 0;
    for (int j = 0; j < windows.size(); j++) {
      WindowIndex.WindowDoc w = windows.get(j);
      List<ParaphraseAnalyzer.Token> toks = analyzer.tokens(w.text());
      Set<String> set = new HashSet<>();
      toks.forEach(t -> set.add(t.term()));
      double[] credits = ParaphraseScore.credits(it, set);
      double lexical = ParaphraseScore.score(it, credits, set);
      double c = cos == null ? Double.NaN : cos[j];
      double s = cos == null ? lexical : ParaphraseScore.combine(lexical, c);
      best = Math.max(best, s);
      if (keep > 0) {
        hits.add(new ParaphraseMatch.WindowHit(w, s, lexical, c, highlights(it, credits, toks)));
      }
    }
    if (keep == 0) {
      return new Scored(best, List.of());
    }
    hits.sort(
        Comparator.comparingDouble(ParaphraseMatch.WindowHit::score)
            .reversed()
            .thenComparing(h -> h.window().file())
            .thenComparingLong(h -> h.window().position())
            .thenComparingInt(h -> h.window().wordOffset()));
    return new Scored(best, List.copyOf(hits.subList(0, Math.min(keep, hits.size()))));
  }

  /** The window characters whose terms earned credit, merged when adjacent. */
  private static List<DocHit.Range> highlights(
      ItemTerms it, double[] credits, List<ParaphraseAnalyzer.Token> toks) {
    Map<String, Boolean> matched = new LinkedHashMap<>();
    Set<String> prefixes = new HashSet<>();
    for (int i = 0; i < credits.length; i++) {
      if (credits[i] == 1) {
        matched.put(it.terms().get(i), true);
      } else if (credits[i] > 0) {
        prefixes.add(it.terms().get(i).substring(0, ParaphraseScore.PREFIX));
      }
    }
    List<DocHit.Range> out = new ArrayList<>();
    for (ParaphraseAnalyzer.Token t : toks) {
      boolean hit =
          matched.containsKey(t.term())
              || (t.term().length() >= ParaphraseScore.PREFIX
                  && prefixes.contains(t.term().substring(0, ParaphraseScore.PREFIX)));
      if (!hit) {
        continue;
      }
      if (!out.isEmpty() && out.getLast().end() >= t.start() - 1) {
        out.set(out.size() - 1, new DocHit.Range(out.getLast().start(), t.end()));
      } else {
        out.add(new DocHit.Range(t.start(), t.end()));
      }
    }
    return out;
  }

  /** A null pseudo-item of a task. */
  private record NullItem(String task, List<String> terms) {}

  /**
   * Null pseudo-items: for item i, as many distinct terms as it has, drawn at random from the terms
   * of the other items of its task (of all other items when its task has no other), so that they
   * share its subject's vocabulary but cannot be a rephrase of any one item. Each task's items are
   * taken round-robin until {@code max(task items, minNullItems)} are drawn for it.
   */
  private List<NullItem> nullItems(List<ParaphraseItem> items, List<List<String>> terms) {
    int n = items.size();
    if (n < 2) {
      return List.of();
    }
    Map<String, List<Integer>> byTask = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      byTask.computeIfAbsent(items.get(i).task(), k -> new ArrayList<>()).add(i);
    }
    List<Integer> everyone = IntStream.range(0, n).boxed().toList();
    SplittableRandom rnd = new SplittableRandom(settings.seed());
    List<NullItem> out = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : byTask.entrySet()) {
      List<Integer> own = e.getValue();
      List<Integer> peers = own.size() < 2 ? everyone : own;
      int total = Math.max(own.size(), settings.minNullItems());
      for (int k = 0; k < total; k++) {
        int i = own.get(k % own.size());
        int want = terms.get(i).size();
        Set<String> chosen = new java.util.LinkedHashSet<>();
        for (int tries = 0; chosen.size() < want && tries < want * 50; tries++) {
          int j = peers.get(rnd.nextInt(peers.size()));
          if (j == i || terms.get(j).isEmpty()) {
            continue;
          }
          List<String> tj = terms.get(j);
          chosen.add(tj.get(rnd.nextInt(tj.size())));
        }
        out.add(new NullItem(e.getKey(), new ArrayList<>(chosen)));
      }
    }
    return out;
  }
}
