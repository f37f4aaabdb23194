package evalh.decontam.check;

/**
 * Query-side settings.
 *
 * @param boilerplateCap n-grams found in more documents than this are ignored for {@code dirty}
 *     (GPT-3 / lm-eval convention; default 10)
 * @param topDocs matching documents shown per item, with provenance and snippet
 * @param leakDocs candidate documents per item checked for the gold answer ({@code answer_leak})
 * @param scanShortItems check items shorter than n by exact whole-item match (a corpus scan)
 * @param threads lookup threads
 */
public record CheckSettings(
    int boilerplateCap, int topDocs, int leakDocs, boolean scanShortItems, int threads) {
  public CheckSettings {
    if (boilerplateCap < 1) {
      throw new IllegalArgumentException("boilerplate cap must be >= 1, got " + boilerplateCap);
    }
    if (topDocs < 0 || leakDocs < 0 || threads < 1) {
      throw new IllegalArgumentException("top docs, leak docs must be >= 0 and threads >= 1");
    }
  }

  public static CheckSettings defaults() {
    return new CheckSettings(10, 3, 100, true, 1);
  }
}
