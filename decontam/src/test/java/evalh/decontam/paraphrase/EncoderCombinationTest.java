package evalh.decontam.paraphrase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --encoder} through core's seam with a test-only encoder: each window's score is {@code
 * (lexical + max(0, cos)) / 2}, recomputed here from the encoder's own vectors and the lexical
 * pass's score of the same window; without a provider on the class path opening fails clearly.
 */
class EncoderCombinationTest {
  @TempDir Path tmp;

  @Test
  void combinedScoreIsTheMeanOfLexicalAndClippedCosine() throws Exception {
    RephraseSet set = RephraseSet.load();
    Path corpus = set.writeCorpus(tmp.resolve("corpus"));
    RephraseSet.indexWindows(RephraseSet.files(corpus), tmp.resolve("w"), 1);
    List<ParaphraseItem> items = set.paraphraseItems().subList(0, 32);
    ParaphraseChecker.Result lexical;
    ParaphraseChecker.Result combined;
    try (WindowIndex index = WindowIndex.open(tmp.resolve("w"));
        var enc = Encoders.open(Files.createDirectories(tmp.resolve("ckpt")), "cpu")) {
      ParaphraseChecker.Settings s = ParaphraseChecker.Settings.defaults();
      lexical = new ParaphraseChecker(index, s).check(items);
      combined = new ParaphraseChecker(index, s, enc).check(items);
    }
    assertThat(combined.encoder()).isEqualTo("bag-of-words test encoder");
    int checked = 0;
    for (int i = 0; i < items.size(); i++) {
      String q = ParaphraseChecker.queryText(items.get(i));
      float[] qv = BagOfWordsEncoder.vector(q);
      for (ParaphraseMatch.WindowHit h : combined.matches().get(i).windows()) {
        float[] wv = BagOfWordsEncoder.vector(h.window().text());
        double dot = 0;
        for (int k = 0; k < qv.length; k++) {
          dot += (double) qv[k] * wv[k];
        }
        assertThat(h.cosine()).isCloseTo(dot, within(1e-6));
        assertThat(h.score()).isCloseTo((h.lexical() + Math.max(0, dot)) / 2, within(1e-6));
        // the lexical part is the lexical pass's score of the same window
        for (ParaphraseMatch.WindowHit l : lexical.matches().get(i).windows()) {
          if (l.window().equals(h.window())) {
            assertThat(h.lexical()).isEqualTo(l.score());
          }
        }
        checked++;
      }
      assertThat(combined.matches().get(i).score())
          .isEqualTo(combined.matches().get(i).windows().get(0).score());
    }
    assertThat(checked).isEqualTo(32 * 3);
    assertThatThrownBy(() -> ParaphraseScore.combine(0.5, Double.NaN))
        .hasMessageContaining("non-finite");
  }

  @Test
  void withoutAProviderEncoderIsAClearError() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      assertThatThrownBy(() -> Encoders.open(dir, "cpu", empty))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no sentence encoder on the class path")
          .hasMessageContaining("evalh.core.embed.SentenceEncoderProvider");
    }
    assertThatThrownBy(() -> Encoders.open(tmp.resolve("missing"), "cpu"))
        .hasMessageContaining("not a directory");
  }
}
