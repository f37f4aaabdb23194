package evalh.harness.run;

import evalh.engine.scoring.ContinuationRequest;
import evalh.engine.scoring.Evaluator;
import evalh.engine.scoring.LoglikelihoodResult;
import evalh.engine.scoring.NonFinite;
import evalh.engine.scoring.Progress;
import evalh.engine.scoring.RollingResult;
import evalh.tasks.plan.TaskPlan;
import evalh.tasks.prompt.ChoicePrompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Scores every request of the planned tasks that the cache does not already hold, in batches that
 * are appended to the cache as soon as they finish, and returns every answer by key.
 */
final class Scorer {
  private final Evaluator evaluator;
  private final RequestCache cache;
  private final String scope;
  private final int llBatch;
  private final int rollingBatch;
  private final boolean progressBar;
  private long scoredTokens;
  private int scoredRequests;
  private int cacheHits;
  private int uniqueRequests;

  /** A sweep's bar over checkpoints x requests, owned by the sweep; null: one bar per kind. */
  private ScoringProgress sweepBar;

  /** Request key to the first item that asks it ("task doc N"), to name a non-finite score. */
  private final Map<String, String> origins = new LinkedHashMap<>();

  Scorer(
      Evaluator evaluator,
      RequestCache cache,
      String scope,
      int llBatch,
      int rollingBatch,
      boolean progressBar) {
    this.evaluator = evaluator;
    this.cache = cache;
    this.scope = scope;
    this.llBatch = llBatch;
    this.rollingBatch = rollingBatch;
    this.progressBar = progressBar;
  }

  /** Advances {@code bar} (owned by the caller) instead of showing bars of its own. */
  void shareProgress(ScoringProgress bar) {
    this.sweepBar = bar;
  }

  /**
   * Unique requests of the plans (loglikelihood pairs and rolling documents), for a sweep's bar.
   */
  static long uniqueRequests(List<TaskPlan> plans) {
    java.util.Set<String> ll = new java.util.HashSet<>();
    java.util.Set<String> rolling = new java.util.HashSet<>();
    for (TaskPlan p : plans) {
      switch (p) {
        case TaskPlan.Choice c -> {
          for (ChoicePrompt pr : c.prompts()) {
            for (String cont : pr.continuations()) {
              ll.add(RequestCache.key("", "loglikelihood", pr.context(), cont));
            }
          }
        }
        case TaskPlan.Rolling r -> rolling.addAll(r.targets());
      }
    }
    return (long) ll.size() + rolling.size();
  }

  private ScoringProgress bar(String task, long total) {
    return sweepBar != null ? sweepBar.borrowed() : ScoringProgress.start(task, total, progressBar);
  }

  String llKey(String context, String continuation) {
    return RequestCache.key(scope, "loglikelihood", context, continuation);
  }

  String rollingKey(String text) {
    return RequestCache.key(scope, "loglikelihood_rolling", text);
  }

  /**
   * Scores what the cache lacks. Requests are cut into batches at fixed positions of the full,
   * de-duplicated request list, and a batch with any request missing is scored whole, so a resumed
   * run feeds the engine exactly the batches an uninterrupted run would (bitwise equal scores on a
   * deterministic device).
   */
  void scoreAll(List<TaskPlan> plans) {
    Map<String, ContinuationRequest> ll = new LinkedHashMap<>();
    Map<String, String> rolling = new LinkedHashMap<>();
    for (TaskPlan p : plans) {
      switch (p) {
        case TaskPlan.Choice c -> {
          for (int i = 0; i < c.prompts().size(); i++) {
            ChoicePrompt pr = c.prompts().get(i);
            for (String cont : pr.continuations()) {
              String k = llKey(pr.context(), cont);
              ll.putIfAbsent(k, new ContinuationRequest(pr.context(), cont));
              origins.putIfAbsent(k, where(p, i) + ", continuation '" + cont + "'");
            }
          }
        }
        case TaskPlan.Rolling r -> {
          for (int i = 0; i < r.targets().size(); i++) {
            String k = rollingKey(r.targets().get(i));
            rolling.putIfAbsent(k, r.targets().get(i));
            origins.putIfAbsent(k, where(p, i));
          }
        }
      }
    }
    List<String> llKeys = new ArrayList<>(ll.keySet());
    List<String> rollingKeys = new ArrayList<>(rolling.keySet());
    int cached = 0;
    for (String k : llKeys) {
      cached += cache.get(k) != null ? 1 : 0;
    }
    for (String k : rollingKeys) {
      cached += cache.get(k) != null ? 1 : 0;
    }
    cacheHits = cached;
    uniqueRequests = llKeys.size() + rollingKeys.size();
    List<Span> llBatches = pending(llKeys, llBatch);
    List<Span> rollingBatches = pending(rollingKeys, rollingBatch);
    if (sweepBar != null) {
      long pendingTotal =
          Stream.concat(llBatches.stream(), rollingBatches.stream()).mapToLong(Span::size).sum();
      sweepBar.step(uniqueRequests - pendingTotal);
    }
    if (!llBatches.isEmpty()) {
      List<ContinuationRequest> reqs = new ArrayList<>(ll.values());
      long total = llBatches.stream().mapToLong(Span::size).sum();
      try (ScoringProgress bar = bar("loglikelihood", total)) {
        for (Span b : llBatches) {
          List<LoglikelihoodResult> res =
              evaluator.loglikelihood(reqs.subList(b.from(), b.to()), bar);
          List<String> keys = new ArrayList<>();
          List<RequestCache.Entry> entries = new ArrayList<>();
          for (int i = 0; i < res.size(); i++) {
            LoglikelihoodResult r = res.get(i);
            scoredTokens += r.continuationIds().length;
            String k = llKeys.get(b.from() + i);
            requireFinite(k, r.logprob());
            if (cache.get(k) == null) {
              keys.add(k);
              entries.add(
                  new RequestCache.Entry(
                      r.logprob(), r.greedy(), r.continuationIds().length, r.truncated() ? 1 : 0));
            }
          }
          cache.appendAll(keys, entries);
          scoredRequests += res.size();
        }
      }
    }
    if (!rollingBatches.isEmpty()) {
      List<String> docs = new ArrayList<>(rolling.values());
      long total = rollingBatches.stream().mapToLong(Span::size).sum();
      try (ScoringProgress bar = bar("loglikelihood_rolling (docs)", total)) {
        for (Span b : rollingBatches) {
          Progress tokensOnly = (r, t) -> bar.advance(0, t);
          List<RollingResult> res =
              evaluator.loglikelihoodRolling(docs.subList(b.from(), b.to()), tokensOnly);
          List<String> keys = new ArrayList<>();
          List<RequestCache.Entry> entries = new ArrayList<>();
          for (int i = 0; i < res.size(); i++) {
            RollingResult r = res.get(i);
            scoredTokens += r.tokens();
            String k = rollingKeys.get(b.from() + i);
            requireFinite(k, r.logprob());
            if (cache.get(k) == null) {
              keys.add(k);
              entries.add(new RequestCache.Entry(r.logprob(), false, r.tokens(), r.windows()));
            }
          }
          cache.appendAll(keys, entries);
          bar.step(res.size());
          scoredRequests += res.size();
        }
      }
    }
  }

  private static String where(TaskPlan p, int item) {
    return p.spec().name() + " doc " + p.docId(item);
  }

  /**
   * A non-finite score fails the run before it is cached or counted: no results.json may claim a
   * metric computed from it.
   */
  private void requireFinite(String key, double logprob) {
    String kind = NonFinite.kind(logprob);
    if (kind != null) {
      throw new NonFinite.ScoreException(
          origins.getOrDefault(key, "request " + key)
              + ": the log-likelihood is "
              + kind
              + "; the checkpoint produces non-finite scores (NaN or infinite weights, or an"
              + " overflow in a float16 run: try --dtype float32); no results were written");
    }
  }

  /** The requests {@code [from, to)} of one batch. */
  private record Span(int from, int to) {
    int size() {
      return to - from;
    }
  }

  /** Each fixed-size batch that has a request the cache lacks. */
  private List<Span> pending(List<String> keys, int size) {
    List<Span> out = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += size) {
      int to = Math.min(keys.size(), from + size);
      for (int i = from; i < to; i++) {
        if (cache.get(keys.get(i)) == null) {
          out.add(new Span(from, to));
          break;
        }
      }
    }
    return out;
  }

  RequestCache.Entry get(String key) {
    RequestCache.Entry e = cache.get(key);
    if (e == null) {
      throw new IllegalStateException("request " + key + " was not scored");
    }
    return e;
  }

  long scoredTokens() {
    return scoredTokens;
  }

  int scoredRequests() {
    return scoredRequests;
  }

  int uniqueRequests() {
    return uniqueRequests;
  }

  int cacheHits() {
    return cacheHits;
  }
}
