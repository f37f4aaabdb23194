package evalh.decontam.scan;

/**
 * A fixed set of 64-bit n-gram hashes, probed once per corpus n-gram: an open-addressing table
 * (linear probing, load at most 1/2) behind a blocked Bloom filter of 2 bits per key in one 64-bit
 * word. The items' n-grams of MMLU fill a table of several MB, so a probe of the table alone is a
 * cache miss per corpus token (half of the scan's time in the profile); the filter (8 to 16 bits
 * per key) answers almost every miss from one word that stays in cache. The hashes are fmix64
 * outputs, uniformly mixed, so their bits index the filter and the table directly.
 */
public final class LongProbeSet {
  private final long[] filter;
  private final int filterShift;
  private final long[] table;
  private final int mask;
  private final boolean hasZero;

  public LongProbeSet(long[] keys) {
    int n = Math.max(1, keys.length);
    int words = Integer.highestOneBit(Math.max(1, n / 8 - 1)) << 1; // >= 8 bits per key
    filter = new long[words];
    filterShift = 64 - Integer.numberOfTrailingZeros(words);
    int slots = Integer.highestOneBit(n) << 2; // load factor <= 1/2
    table = new long[slots];
    mask = slots - 1;
    boolean zero = false;
    for (long k : keys) {
      filter[word(k)] |= bits(k);
      if (k == 0) {
        zero = true;
        continue;
      }
      int i = slot(k);
      while (table[i] != 0 && table[i] != k) {
        i = (i + 1) & mask;
      }
      table[i] = k;
    }
    hasZero = zero;
  }

  private int word(long k) {
    return filterShift == 64 ? 0 : (int) (k >>> filterShift);
  }

  private static long bits(long k) {
    return (1L << k) | (1L << (k >>> 6));
  }

  private int slot(long k) {
    return (int) (k >>> 12) & mask;
  }

  public boolean contains(long k) {
    long b = bits(k);
    if ((filter[word(k)] & b) != b) {
      return false;
    }
    if (k == 0) {
      return hasZero;
    }
    int i = slot(k);
    long t;
    while ((t = table[i]) != 0) {
      if (t == k) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }
}
