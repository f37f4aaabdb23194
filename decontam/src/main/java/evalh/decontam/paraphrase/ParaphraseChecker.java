package evalh.decontam.paraphrase;

import evalh.core.embed.SentenceEncoder;
import evalh.decontam.check.DocHit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The paraphrase pass: per item, its candidate windows ({@link Candidates}) from a {@link
 * WindowSource} (the local window index or a distributed scan) scored by {@link ParaphraseScore};
 * per null pseudo-item the same; the threshold from the null scores ({@link Calibration}); the
 * verdicts.
 */
public final class ParaphraseChecker {
  /**
   * How to check.
   *
   * @param topK candidate windows scored per item ({@link Candidates})
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

    /** The least share of an item's candidate units its candidates held ({@link #minShare}). */
    public double candidateMinShare() {
      return minShare(encoder != null);
    }
  }

  private final WindowSource source;
  private final Settings settings;
  private final SentenceEncoder encoder;
  private final ParaphraseAnalyzer analyzer = new ParaphraseAnalyzer();

  public ParaphraseChecker(WindowSource source, Settings settings) {
    this(source, settings, null);
  }

  /**
   * With {@code encoder} (or null), every candidate window's score becomes {@link
   * ParaphraseScore#combine} of its lexical score and the cosine similarity of the item's and the
   * window's embeddings; calibration then runs on the combined scores.
   */
  public ParaphraseChecker(WindowSource source, Settings settings, SentenceEncoder encoder) {
    this.source = source;
    this.settings = settings;
    this.encoder = encoder;
  }

  /**
   * The least share of an item's candidate units a window must hold to be a candidate ({@link
   * Candidates}): {@link Candidates#MIN_SHARE} in the lexical pass; none with an encoder, which is
   * there for the rewrites that keep few of the item's exact terms (and is far slower than the
   * lexical pass anyway).
   */
  static double minShare(boolean withEncoder) {
    return withEncoder ? 0 : Candidates.MIN_SHARE;
  }

  /** Checks {@code items}; their scores do not depend on the thread count. */
  public Result check(List<ParaphraseItem> items) throws IOException {
    long t0 = System.nanoTime();
    List<List<String>> terms = items.stream().map(i -> ItemTerms.distinct(analyzer, i)).toList();
    Map<String, Integer> benchDf = ItemTerms.benchmarkDf(terms);
    int n = items.size();
    List<NullItem> nulls = nullItems(items, terms);
    if (nulls.isEmpty() && Double.isNaN(settings.threshold())) {
      throw new IllegalArgumentException(
          "the paraphrase threshold is calibrated on null items drawn from the other items' words;"
              + " with one item there are none: give --paraphrase-threshold");
    }
    List<List<String>> queryTerms = new ArrayList<>(terms);
    nulls.forEach(x -> queryTerms.add(x.terms()));
    Set<String> vocabulary = new HashSet<>();
    queryTerms.forEach(vocabulary::addAll);
    WindowSource.Stats stats = source.stats(vocabulary);
    List<WindowSource.Query> queries = new ArrayList<>(queryTerms.size());
    for (List<String> ts : queryTerms) {
      long[] df = new long[ts.size()];
      for (int i = 0; i < df.length; i++) {
        df[i] = stats.docFreqs().get(ts.get(i));
      }
      ItemTerms it = ParaphraseScore.weigh(ts, df, stats.windows(), benchDf, n);
      queries.add(WindowSource.Query.of(it, df, minShare(encoder != null)));
    }
    List<List<Candidates.Candidate>> cands =
        source.candidates(queries, settings.topK(), settings.threads());
    List<String> texts = new ArrayList<>(queries.size());
    items.forEach(i -> texts.add(queryText(i)));
    nulls.forEach(x -> texts.add(String.join(" ", x.terms())));
    List<Scored> scored = score(queries, cands, texts, n);
    List<Scored> real = scored.subList(0, n);
    List<Scored> nullScored = scored.subList(n, scored.size());
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
        stats.windows(),
        (System.nanoTime() - t0) / 1e9,
        encoder == null ? null : encoder.describe());
  }

  private record Scored(double score, List<ParaphraseMatch.WindowHit> windows) {}

  /** A candidate and its score for the item (lexical, or combined with the encoder's cosine). */
  private record Hit(Candidates.Candidate candidate, double score, double cosine) {}

  /** Best first; ties by provenance. */
  private static final Comparator<Hit> HIT_ORDER =
      Comparator.comparingDouble(Hit::score)
          .reversed()
          .thenComparing(h -> h.candidate().file())
          .thenComparingLong(h -> h.candidate().position())
          .thenComparingInt(h -> h.candidate().wordOffset());

  /**
   * Every query's best score over its candidates, and for the first {@code real} queries (the
   * items) their best {@link Settings#shown} windows with text and highlights.
   */
  private List<Scored> score(
      List<WindowSource.Query> queries,
      List<List<Candidates.Candidate>> cands,
      List<String> texts,
      int real)
      throws IOException {
    List<List<Hit>> hits = new ArrayList<>(queries.size());
    if (encoder == null) {
      for (List<Candidates.Candidate> cs : cands) {
        hits.add(cs.stream().map(c -> new Hit(c, c.lexical(), Double.NaN)).toList());
      }
    } else {
      List<Candidates.Candidate> flat = new ArrayList<>();
      cands.forEach(flat::addAll);
      List<WindowIndex.WindowDoc> docs = source.windows(flat);
      int[] start = new int[cands.size() + 1];
      for (int i = 0; i < cands.size(); i++) {
        start[i + 1] = start[i] + cands.get(i).size();
      }
      hits =
          Parallel.map(
              cands.size(),
              settings.threads(),
              i -> {
                List<Candidates.Candidate> cs = cands.get(i);
                double[] cos = cosines(texts.get(i), docs.subList(start[i], start[i + 1]));
                List<Hit> hs = new ArrayList<>(cs.size());
                for (int j = 0; j < cs.size(); j++) {
                  double c = cos[j];
                  hs.add(new Hit(cs.get(j), ParaphraseScore.combine(cs.get(j).lexical(), c), c));
                }
                return hs;
              });
    }
    List<Hit> shownHits = new ArrayList<>();
    List<List<Hit>> shownPer = new ArrayList<>(real);
    for (int i = 0; i < real; i++) {
      List<Hit> top = hits.get(i).stream().sorted(HIT_ORDER).limit(settings.shown()).toList();
      shownPer.add(top);
      shownHits.addAll(top);
    }
    List<WindowIndex.WindowDoc> shownDocs =
        source.windows(shownHits.stream().map(Hit::candidate).toList());
    List<Scored> out = new ArrayList<>(queries.size());
    int at = 0;
    for (int i = 0; i < queries.size(); i++) {
      double best = hits.get(i).stream().mapToDouble(Hit::score).max().orElse(0);
      if (i >= real) {
        out.add(new Scored(best, List.of()));
        continue;
      }
      ItemTerms it = queries.get(i).terms();
      List<ParaphraseMatch.WindowHit> shown = new ArrayList<>();
      for (Hit h : shownPer.get(i)) {
        WindowIndex.WindowDoc w = shownDocs.get(at++);
        List<ParaphraseAnalyzer.Token> toks = analyzer.tokens(w.text());
        Set<String> set = new HashSet<>();
        toks.forEach(t -> set.add(t.term()));
        double[] credits = ParaphraseScore.credits(it, set);
        shown.add(
            new ParaphraseMatch.WindowHit(
                w, h.score(), h.candidate().lexical(), h.cosine(), highlights(it, credits, toks)));
      }
      out.add(new Scored(best, List.copyOf(shown)));
    }
    return out;
  }

  /** What the encoder embeds of an item: its question and gold answer. */
  static String queryText(ParaphraseItem item) {
    return item.answer().isEmpty() ? item.question() : item.question() + "\n" + item.answer();
  }

  /** The cosine similarity of {@code text} with each window. */
  private double[] cosines(String text, List<WindowIndex.WindowDoc> windows) {
    List<String> texts = new ArrayList<>();
    texts.add(text);
    windows.forEach(w -> texts.add(w.text()));
    List<float[]> e;
    try {
      e = encoder.embed(texts);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    double[] out = new double[windows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ParaphraseScore.cosine(e.get(0), e.get(i + 1));
    }
    return out;
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
