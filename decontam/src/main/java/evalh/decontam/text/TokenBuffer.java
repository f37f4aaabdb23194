package evalh.decontam.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The normalised tokens of one text: each token's 64-bit hash ({@link NgramHasher#tokenHash}) and
 * its character span {@code [start, end)} in the original text. Reused across texts with {@link
 * #clear()}; optionally keeps the normalised token strings (for tests and debugging).
 */
public final class TokenBuffer {
  private long[] hashes = new long[256];
  private int[] starts = new int[256];
  private int[] ends = new int[256];
  private int size;
  private final List<String> texts;

  public TokenBuffer() {
    this(false);
  }

  public TokenBuffer(boolean keepText) {
    this.texts = keepText ? new ArrayList<>() : null;
  }

  public void clear() {
    size = 0;
    if (texts != null) {
      texts.clear();
    }
  }

  /** Adds a normalised token held in {@code chars[0, len)} spanning {@code [start, end)}. */
  void add(char[] chars, int len, int start, int end) {
    if (size == hashes.length) {
      int cap = size * 2;
      hashes = Arrays.copyOf(hashes, cap);
      starts = Arrays.copyOf(starts, cap);
      ends = Arrays.copyOf(ends, cap);
    }
    hashes[size] = NgramHasher.tokenHash(chars, 0, len);
    starts[size] = start;
    ends[size] = end;
    size++;
    if (texts != null) {
      texts.add(new String(chars, 0, len));
    }
  }

  public int size() {
    return size;
  }

  /** The backing hash array; valid in {@code [0, size())}. */
  public long[] hashes() {
    return hashes;
  }

  public int start(int i) {
    return starts[i];
  }

  public int end(int i) {
    return ends[i];
  }

  /** The normalised token strings; only when constructed with {@code keepText}. */
  public List<String> texts() {
    if (texts == null) {
      throw new IllegalStateException("token text not kept");
    }
    return List.copyOf(texts);
  }
}
