package evalh.decontam.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic text for benchmarks and tests: a vocabulary of pseudo-words drawn with a
 * Zipf-like (1/rank) distribution, so token statistics resemble natural text (frequent short words,
 * a long tail) while every word is known to the generator.
 */
public final class SyntheticText {
  private final String[] vocab;
  private final double[] cumulative;

  public SyntheticText(int vocabSize, String prefix, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    vocab = new String[vocabSize];
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < vocabSize; i++) {
      String w;
      do {
        int len = 2 + (int) Math.min(10, Math.abs(r.nextGaussian() * 3 + 3));
        StringBuilder sb = new StringBuilder(prefix);
        for (int k = 0; k < len; k++) {
          sb.append((char) ('a' + r.nextInt(26)));
        }
        w = sb.toString();
      } while (!seen.add(w));
      vocab[i] = w;
    }
    cumulative = new double[vocabSize];
    double s = 0;
    for (int i = 0; i < vocabSize; i++) {
      s += 1.0 / (i + 1);
      cumulative[i] = s;
    }
    for (int i = 0; i < vocabSize; i++) {
      cumulative[i] /= s;
    }
  }

  public String word(SplittableRandom r) {
    double u = r.nextDouble();
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return vocab[lo];
  }

  public List<String> words(SplittableRandom r, int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(word(r));
    }
    return out;
  }

  /** Words joined by spaces, with sentence punctuation and capitals sprinkled in. */
  public String prose(SplittableRandom r, int count) {
    StringBuilder sb = new StringBuilder(count * 7);
    boolean capital = true;
    for (int i = 0; i < count; i++) {
      String w = word(r);
      if (capital) {
        w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
        capital = false;
      }
      sb.append(w);
      int p = r.nextInt(20);
      if (p == 0) {
        sb.append('.');
        capital = true;
      } else if (p == 1) {
        sb.append(',');
      }
      sb.append(i % 97 == 96 ? '\n' : ' ');
    }
    return sb.toString();
  }
}
