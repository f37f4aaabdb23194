package evalh.decontam.text;

import java.util.Arrays;

/**
 * The token hashes ({@link NgramHasher#tokenHash}) of one document, without spans or text: what the
 * corpus pass of an index build or a scan needs. Reused across documents with {@link #clear()}.
 */
public final class TokenHashes {
  private long[] hashes = new long[1024];
  private int size;

  public void clear() {
    size = 0;
  }

  public void add(long hash) {
    if (size == hashes.length) {
      hashes = Arrays.copyOf(hashes, size * 2);
    }
    hashes[size++] = hash;
  }

  /** Appends the hashes of {@code tokens}. */
  public void addAll(TokenBuffer tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      add(tokens.hashes()[i]);
    }
  }

  public int size() {
    return size;
  }

  /** The backing array; valid in {@code [0, size())}. */
  public long[] array() {
    return hashes;
  }
}
