package evalh.decontam.text;

/**
 * The 64-bit hashes behind the index terms ({@value #ID}). Token hash: FNV-1a over the token's
 * UTF-16 code units, finalised with MurmurHash3's fmix64. n-gram hash: for each token hash t in
 * order, {@code h = rotl(h ^ t, 27) * 0x9E3779B97F4A7C15}, starting from {@code
 * 0x243F6A8885A308D3}, finalised as {@code fmix64(h ^ n)}. The definition is fixed by {@link #ID}:
 * changing it requires a new id (recorded in index metadata) so that old indexes are never queried
 * with new hashes. Pure Java, no Lucene: a Spark job reproduces the same terms with this class.
 */
public final class NgramHasher {
  public static final String ID = "evalh-ngram64/1";

  private NgramHasher() {}

  public static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  /** Hash of one normalised token held in {@code chars[off, off+len)}. */
  public static long tokenHash(char[] chars, int off, int len) {
    long h = 0xcbf29ce484222325L;
    for (int i = off; i < off + len; i++) {
      h ^= chars[i];
      h *= 0x100000001b3L;
    }
    return fmix64(h);
  }

  /** Hash of one normalised token. */
  public static long tokenHash(String token) {
    return tokenHash(token.toCharArray(), 0, token.length());
  }

  /** Hash of the n-gram of the {@code n} token hashes starting at {@code from}. */
  public static long ngramHash(long[] tokenHashes, int from, int n) {
    long h = 0x243F6A8885A308D3L;
    for (int i = from; i < from + n; i++) {
      h = Long.rotateLeft(h ^ tokenHashes[i], 27) * 0x9E3779B97F4A7C15L;
    }
    return fmix64(h ^ n);
  }

  /** The hashes of every n-gram of {@code tokens} (length {@code max(0, size - n + 1)}). */
  public static long[] ngramHashes(TokenBuffer tokens, int n) {
    int count = Math.max(0, tokens.size() - n + 1);
    long[] out = new long[count];
    long[] th = tokens.hashes();
    for (int i = 0; i < count; i++) {
      out[i] = ngramHash(th, i, n);
    }
    return out;
  }
}
