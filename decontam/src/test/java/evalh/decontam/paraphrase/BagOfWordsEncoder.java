package evalh.decontam.paraphrase;

import evalh.core.embed.SentenceEncoder;
import evalh.core.embed.SentenceEncoderProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A test-only sentence encoder: lower-cased alphanumeric words hashed into 64 dimensions, counted
 * and L2-normalised. Deterministic, so tests can recompute its cosines independently. Registered in
 * the test resources' {@code META-INF/services}.
 */
public final class BagOfWordsEncoder implements SentenceEncoder {
  static final int DIM = 64;

  /** The provider {@link java.util.ServiceLoader} finds in the test class path. */
  public static final class Provider implements SentenceEncoderProvider {
    @Override
    public SentenceEncoder open(Path dir, String device) {
      return new BagOfWordsEncoder();
    }
  }

  static float[] vector(String text) {
    float[] v = new float[DIM];
    for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+", -1)) {
      if (!w.isEmpty()) {
        v[Math.floorMod(w.hashCode(), DIM)] += 1;
      }
    }
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    if (n > 0) {
      for (int i = 0; i < DIM; i++) {
        v[i] = (float) (v[i] / Math.sqrt(n));
      }
    }
    return v;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> out = new ArrayList<>();
    texts.forEach(t -> out.add(vector(t)));
    return out;
  }

  @Override
  public int dimension() {
    return DIM;
  }

  @Override
  public boolean normalized() {
    return true;
  }

  @Override
  public String describe() {
    return "bag-of-words test encoder";
  }

  @Override
  public void close() {}
}
