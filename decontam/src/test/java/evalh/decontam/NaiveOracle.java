package evalh.decontam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The naive reference: janitor normalisation written independently (regex deletion, char mapping,
 * Python whitespace split) and a HashMap from n-gram string to the set of documents holding it.
 */
final class NaiveOracle {
  private static final Pattern PUNCT = Pattern.compile("[!-/:-@\\[-`{-~]");
  private static final Pattern PY_WS =
      Pattern.compile(
          "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+");

  final int n;
  final List<List<String>> docs = new ArrayList<>();
  final Map<String, Set<Integer>> docsOf = new HashMap<>();

  NaiveOracle(int n) {
    this.n = n;
  }

  static List<String> normalize(String s) {
    String t = PUNCT.matcher(s).replaceAll("");
    StringBuilder sb = new StringBuilder();
    for (char c : t.toCharArray()) {
      sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return Arrays.stream(PY_WS.split(sb.toString())).filter(w -> !w.isEmpty()).toList();
  }

  static List<String> grams(List<String> toks, int k) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i + k <= toks.size(); i++) {
      out.add(String.join(" ", toks.subList(i, i + k)));
    }
    return out;
  }

  void addDoc(String text) {
    int d = docs.size();
    List<String> toks = normalize(text);
    docs.add(toks);
    for (String g : grams(toks, n)) {
      docsOf.computeIfAbsent(g, k -> new HashSet<>()).add(d);
    }
  }

  record Expected(
      int tokens,
      int ngrams,
      int matched,
      int nonBoilerplate,
      double coverage,
      int longestRun,
      int maxDf,
      boolean dirty,
      boolean answerLeak,
      List<Integer> topVotes) {}

  Expected expect(String text, String answer, int cap, int topDocs) {
    List<String> toks = normalize(text);
    List<String> ans = normalize(answer);
    if (toks.size() < n) {
      Set<Integer> hits = new HashSet<>();
      boolean leak = false;
      for (int d = 0; d < docs.size(); d++) {
        List<String> dt = docs.get(d);
        boolean[] cov = new boolean[dt.size()];
        boolean hit = false;
        for (int i = 0; !toks.isEmpty() && i + toks.size() <= dt.size(); i++) {
          if (dt.subList(i, i + toks.size()).equals(toks)) {
            hit = true;
            Arrays.fill(cov, i, i + toks.size(), true);
          }
        }
        if (hit) {
          hits.add(d);
          leak |= leaks(dt, cov, ans);
        }
      }
      boolean m = !hits.isEmpty();
      List<Integer> votes = hits.stream().map(h -> 1).limit(topDocs).toList();
      return new Expected(
          toks.size(), 0, 0, 0, m ? 1.0 : 0.0, m ? toks.size() : 0, 0, m, leak, votes);
    }
    List<String> g = grams(toks, n);
    boolean[] covered = new boolean[toks.size()];
    int matched = 0, nb = 0, maxDf = 0, longest = 0, run = 0;
    Map<Integer, Integer> votes = new HashMap<>();
    for (int p = 0; p < g.size(); p++) {
      Set<Integer> ds = docsOf.getOrDefault(g.get(p), Set.of());
      if (!ds.isEmpty()) {
        matched++;
        maxDf = Math.max(maxDf, ds.size());
        Arrays.fill(covered, p, p + n, true);
        run++;
        longest = Math.max(longest, run + n - 1);
        if (ds.size() <= cap) {
          nb++;
          for (int d : ds) {
            votes.merge(d, 1, Integer::sum);
          }
        }
      } else {
        run = 0;
      }
    }
    int cov = 0;
    for (boolean c : covered) {
      cov += c ? 1 : 0;
    }
    Set<String> itemGrams = new HashSet<>(g);
    boolean leak = false;
    for (int d : votes.keySet()) {
      List<String> dt = docs.get(d);
      boolean[] dc = new boolean[dt.size()];
      for (int i = 0; i + n <= dt.size(); i++) {
        if (itemGrams.contains(String.join(" ", dt.subList(i, i + n)))) {
          Arrays.fill(dc, i, i + n, true);
        }
      }
      leak |= leaks(dt, dc, ans);
    }
    List<Integer> top = votes.values().stream().sorted((a, b) -> b - a).limit(topDocs).toList();
    return new Expected(
        toks.size(),
        g.size(),
        matched,
        nb,
        (double) cov / toks.size(),
        longest,
        maxDf,
        nb > 0,
        leak,
        top);
  }

  private static boolean leaks(List<String> dt, boolean[] covered, List<String> ans) {
    if (ans.isEmpty()) {
      return false;
    }
    for (int i = 0; i + ans.size() <= dt.size(); i++) {
      if (dt.subList(i, i + ans.size()).equals(ans)) {
        for (int j = i; j < i + ans.size(); j++) {
          if (!covered[j]) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
