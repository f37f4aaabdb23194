package evalh.decontam.paraphrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The score, its weights, the calibration and the window cut against hand-computed values. */
class ParaphraseScoreTest {
  @Test
  void scoreIsWeightedRecallWithShrinkage() {
    // 3 terms in a corpus of 99 windows with df 0, 9, 99
    long docs = 99;
    ItemTerms it =
        ParaphraseScore.weigh(
            List.of("osmosis", "membrane", "water"), new long[] {0, 9, 99}, docs, Map.of(), 3);
    double max = Math.log(1 + 99.5 / 0.5);
    double w0 = 1.0;
    double w1 = Math.log(1 + 90.5 / 9.5) / max;
    double w2 = Math.log(1 + 0.5 / 99.5) / max;
    assertThat(it.weights()).containsExactly(new double[] {w0, w1, w2}, within(1e-12));
    // window: osmosis exact, "membranes" is not analysed here so give the prefix form
    double[] c = ParaphraseScore.credits(it, Set.of("osmosis", "membranous", "salt"));
    assertThat(c).containsExactly(1.0, 0.5, 0.0);
    double want = (w0 + 0.5 * w1) / (w0 + w1 + w2 + ParaphraseScore.SHRINK);
    assertThat(ParaphraseScore.score(it, c, Set.of())).isCloseTo(want, within(1e-12));
    // containment (semipermeable / permeable) earns the partial credit too
    ItemTerms p = new ItemTerms(List.of("permeable"), new double[] {1});
    assertThat(ParaphraseScore.credits(p, Set.of("semipermeable"))).containsExactly(0.5);
    assertThat(ParaphraseScore.credits(p, Set.of("perm"))).containsExactly(0.0);
  }

  @Test
  void templateFactor() {
    assertThat(ParaphraseScore.templateFactor(50, 10)).isEqualTo(1.0); // too few items
    assertThat(ParaphraseScore.templateFactor(5, 100)).isEqualTo(1.0); // 5%
    assertThat(ParaphraseScore.templateFactor(50, 100)).isEqualTo(0.0); // 50%
    assertThat(ParaphraseScore.templateFactor(10, 100))
        .isCloseTo(Math.log(0.5 / 0.1) / Math.log(10), within(1e-12));
  }

  @Test
  void calibrationTakesTheNullQuantileAboveTheFloor() {
    double[] nulls = new double[200];
    for (int i = 0; i < nulls.length; i++) {
      nulls[i] = i / 200.0; // 0.000 .. 0.995
    }
    Calibration c = Calibration.of(nulls, 0.01, Double.NaN);
    // at most 2 of 200 above: the threshold is the 198th smallest, 0.985
    assertThat(c.threshold()).isEqualTo(0.985);
    assertThat(c.source()).isEqualTo("null-distribution");
    assertThat(c.estimatedFpr()).isEqualTo(2 / 200.0);
    Calibration low = Calibration.of(new double[] {0.1, 0.2, 0.3}, 0.01, Double.NaN);
    assertThat(low.threshold()).isEqualTo(Calibration.FLOOR);
    assertThat(low.source()).isEqualTo("floor");
    assertThat(low.estimatedFpr()).isZero();
    Calibration user = Calibration.of(nulls, 0.01, 0.5);
    assertThat(user.threshold()).isEqualTo(0.5);
    assertThat(user.estimatedFpr()).isEqualTo(99 / 200.0);
  }

  @Test
  void windowsOverlapAndCoverEveryWord() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 250; i++) {
      sb.append("w").append(i).append(i % 7 == 0 ? "\n" : "  ");
    }
    String text = sb.toString();
    Windows.Cut cut = Windows.cut(text, 96, 24);
    assertThat(cut.words()).isEqualTo(250);
    // starts 0, 24, ..., 144 (144 + 96 = 240 < 250), 168 reaches the end
    assertThat(cut.windows().stream().map(Windows.Window::wordOffset))
        .containsExactly(0, 24, 48, 72, 96, 120, 144, 168);
    Windows.Window last = cut.windows().getLast();
    assertThat(text.substring(last.start(), last.end())).startsWith("w168").endsWith("w249");
    assertThat(Windows.cut("  short text ", 96, 24).windows()).hasSize(1);
    assertThat(Windows.cut("   ", 96, 24).windows()).isEmpty();
  }

  @Test
  void analyzerJoinsNotationAndNumberWords() {
    ParaphraseAnalyzer a = new ParaphraseAnalyzer();
    assertThat(a.terms("Find the order of Z_4 x Z_6")).isEqualTo(a.terms("the order of ℤ₄ × ℤ₆"));
    assertThat(a.terms("x squared")).containsExactly("x", "2");
    assertThat(a.terms("two groups")).containsExactly("2", "group");
    // an indexed symbol: head, index, and the symbol stacked on the index's position
    assertThat(a.terms("ℤ₁₂")).containsExactly("z", "12", "z_12");
    assertThat(a.terms("Z_12")).isEqualTo(a.terms("ℤ₁₂"));
    assertThat(a.terms("S_7")).containsExactly("s", "7", "s_7");
    // a run of sub- or superscript digits is one number; ℤ sticks to a number before it
    assertThat(a.terms("x¹² + 3ℤ")).containsExactly("x", "12", "3z");
    assertThat(a.terms("3ℤ")).isEqualTo(a.terms("3Z"));
    assertThat(a.terms("20 \\times 8")).containsExactly("20", "x", "8");
    // other underscores separate words, as spaces would; a stop-word head is dropped
    assertThat(a.terms("snake_case_name")).containsExactly("snake", "case", "name");
    assertThat(a.terms("A_4")).containsExactly("4", "a_4");
    List<ParaphraseAnalyzer.Token> t = a.tokens("in ℤ₁₂");
    assertThat(t).extracting(ParaphraseAnalyzer.Token::start).containsExactly(3, 3, 3);
    assertThat(t).extracting(ParaphraseAnalyzer.Token::end).containsExactly(6, 6, 6);
  }

  @Test
  void symbolsOfAnotherIndexContradictTheItem() {
    // item about Z_7: the symbol weighs nothing itself, its head and index are ordinary terms
    List<String> terms = List.of("generator", "field", "z", "7", "z_7");
    ItemTerms it = ParaphraseScore.weigh(terms, new long[] {0, 0, 0, 0, 0}, 99, Map.of(), 1);
    assertThat(it.weights()).containsExactly(1, 1, 1, 1, 0);
    Set<String> twin = Set.of("generator", "field", "z", "11", "z_11", "7");
    Set<String> rewrite = Set.of("generator", "field", "z", "7", "z_7", "z_11", "11");
    Set<String> spelled = Set.of("generator", "field", "integers", "modulo", "7");
    assertThat(ParaphraseScore.agreement(it, twin)).isZero();
    assertThat(ParaphraseScore.agreement(it, rewrite)).isEqualTo(1.0);
    assertThat(ParaphraseScore.agreement(it, spelled)).isEqualTo(1.0);
    // without the veto the twin would have matched 4 of the 4 weighted terms: 4 / (4 + 2)
    assertThat(ParaphraseScore.score(it, ParaphraseScore.credits(it, twin), twin)).isZero();
    assertThat(ParaphraseScore.score(it, ParaphraseScore.credits(it, rewrite), rewrite))
        .isCloseTo(4.0 / 6.0, within(1e-12));
    assertThat(ParaphraseScore.score(it, ParaphraseScore.credits(it, spelled), spelled))
        .isCloseTo(3.0 / 6.0, within(1e-12));
    // two symbols, one contradicted (S_4 named, Z_8 replaced by Z_6): half the score
    ItemTerms two =
        new ItemTerms(List.of("order", "s_4", "z_8", "s", "z"), new double[] {1, 0, 0, 1, 1});
    Set<String> half = Set.of("order", "s_4", "z_6", "s", "z");
    assertThat(ParaphraseScore.agreement(two, half)).isEqualTo(0.5);
    assertThat(ParaphraseScore.score(two, ParaphraseScore.credits(two, half), half))
        .isCloseTo(0.5 * 3 / 5.0, within(1e-12));
    // a symbol of another head (A_4 for an item about S_4) is no contradiction
    assertThat(ParaphraseScore.agreement(two, Set.of("a_4", "z_8"))).isEqualTo(1.0);
    assertThat(ParaphraseScore.isSymbol("z_12")).isTrue();
    assertThat(ParaphraseScore.isSymbol("z_x")).isFalse();
    assertThat(ParaphraseScore.isSymbol("2_3")).isFalse();
  }

  /**
   * The credits of a prepared window ({@link WindowTerms}: prefix set, joined terms, terms by
   * length) equal the plain loop of their definition ({@link CandidatesTest#naiveCredits}) on
   * random terms over a 3-letter alphabet, where shared prefixes and nested terms are common; terms
   * with a space take the loop's path.
   */
  @Test
  void preparedWindowCreditsEqualThePlainLoop() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    int nonzeroPartial = 0;
    for (int trial = 0; trial < 3000; trial++) {
      java.util.Set<String> window = new java.util.HashSet<>();
      int nw = r.nextInt(30);
      for (int i = 0; i < nw; i++) {
        window.add(randomTerm(r));
      }
      java.util.LinkedHashSet<String> item = new java.util.LinkedHashSet<>();
      int ni = 1 + r.nextInt(12);
      for (int i = 0; i < ni; i++) {
        item.add(r.nextInt(4) == 0 && !window.isEmpty() ? mutate(r, window) : randomTerm(r));
      }
      ItemTerms it = new ItemTerms(List.copyOf(item), new double[item.size()]);
      double[] want = CandidatesTest.naiveCredits(it, window);
      assertThat(ParaphraseScore.credits(it, WindowTerms.of(window))).containsExactly(want);
      for (double c : want) {
        nonzeroPartial += c == 0.5 ? 1 : 0;
      }
    }
    assertThat(nonzeroPartial).isGreaterThan(1000);
  }

  private static String randomTerm(java.util.SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    int n = 1 + r.nextInt(10);
    for (int i = 0; i < n; i++) {
      b.append(r.nextInt(40) == 0 ? ' ' : (char) ('a' + r.nextInt(3)));
    }
    return b.toString();
  }

  /** A window term cut, extended or with its end changed. */
  private static String mutate(java.util.SplittableRandom r, java.util.Set<String> window) {
    String u = window.stream().skip(r.nextInt(window.size())).findFirst().orElseThrow();
    return switch (r.nextInt(3)) {
      case 0 -> u.substring(r.nextInt(Math.max(1, u.length() / 2)));
      case 1 -> "c" + u + "a";
      default -> u.substring(0, Math.max(1, u.length() - 1)) + "b";
    };
  }
}
