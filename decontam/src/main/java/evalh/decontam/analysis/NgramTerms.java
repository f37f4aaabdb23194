package evalh.decontam.analysis;

import org.apache.lucene.util.BytesRef;

/** Encoding of n-gram hashes as Lucene terms (8 bytes, big-endian, so terms sort as unsigned). */
public final class NgramTerms {
  /** The field holding the n-gram terms. */
  public static final String FIELD = "ng";

  private NgramTerms() {}

  public static void encode(long hash, byte[] dst) {
    for (int i = 7; i >= 0; i--) {
      dst[i] = (byte) hash;
      hash >>>= 8;
    }
  }

  public static BytesRef term(long hash) {
    byte[] b = new byte[8];
    encode(hash, b);
    return new BytesRef(b);
  }

  public static long decode(BytesRef term) {
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (term.bytes[term.offset + i] & 0xffL);
    }
    return h;
  }
}
