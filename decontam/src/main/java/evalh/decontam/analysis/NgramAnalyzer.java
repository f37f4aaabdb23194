package evalh.decontam.analysis;

import evalh.decontam.text.NgramScheme;
import org.apache.lucene.analysis.Analyzer;

/**
 * The one analyzer of the decontamination index: normalisation + word n-grams + hashing as fixed by
 * an {@link NgramScheme}. Index time uses the scheme's stride (or its winnowing window); {@link
 * #forQuery} uses stride 1 so an item is checked with every one of its n-grams. Holds no
 * IndexWriter state.
 */
public final class NgramAnalyzer extends Analyzer {
  private static final ThreadLocal<long[]> TOKENS = ThreadLocal.withInitial(() -> new long[1]);
  private final NgramScheme scheme;
  private final int stride;
  private final TermForm form;
  private final boolean indexSide;

  public NgramAnalyzer(NgramScheme scheme, TermForm form) {
    this(scheme, scheme.stride(), form, true);
  }

  private NgramAnalyzer(NgramScheme scheme, int stride, TermForm form, boolean indexSide) {
    this.scheme = scheme;
    this.stride = stride;
    this.form = form;
    this.indexSide = indexSide;
  }

  /** Index-time analyzer (scheme's stride, hashed terms). */
  public static NgramAnalyzer forIndex(NgramScheme scheme) {
    return new NgramAnalyzer(scheme, TermForm.HASH64);
  }

  /** Query-time analyzer: same normalisation and hashing, every n-gram. */
  public static NgramAnalyzer forQuery(NgramScheme scheme) {
    return new NgramAnalyzer(scheme, 1, TermForm.HASH64, false);
  }

  public NgramScheme scheme() {
    return scheme;
  }

  static void countTokens(int n) {
    TOKENS.get()[0] += n;
  }

  /**
   * Normalised tokens analysed so far by the calling thread (any NgramAnalyzer): read before and
   * after indexing a file to count its tokens.
   */
  public static long tokensAnalyzedByThisThread() {
    return TOKENS.get()[0];
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    return new TokenStreamComponents(new NgramTokenizer(scheme, stride, form, indexSide));
  }
}
