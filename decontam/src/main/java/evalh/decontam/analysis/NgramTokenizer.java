package evalh.decontam.analysis;

import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.TextNormalizer;
import evalh.decontam.text.TokenBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.util.BytesRef;

/**
 * Emits one term per word n-gram of the input (every {@code stride}-th n-gram), normalised by the
 * scheme's {@link TextNormalizer} and hashed by {@link NgramHasher}. Offsets span the n-gram's
 * first to last token in the original text; positions are the n-gram's start token position.
 */
final class NgramTokenizer extends Tokenizer {
  private final BytesTermAttribute termAtt = addAttribute(BytesTermAttribute.class);
  private final OffsetAttribute offsetAtt = addAttribute(OffsetAttribute.class);
  private final PositionIncrementAttribute posIncAtt =
      addAttribute(PositionIncrementAttribute.class);
  private final NgramScheme scheme;
  private final int stride;
  private final TermForm form;
  private final TextNormalizer normalizer;
  private final TokenBuffer tokens;
  private final StringBuilder text = new StringBuilder();
  private final char[] readBuf = new char[8192];
  private final byte[] hashBytes = new byte[8];
  private final BytesRef hashRef = new BytesRef(hashBytes);
  private List<String> tokenTexts;
  private int next;
  private int last;
  private long[] winnowed = new long[0];
  private int winnowedSize = -1;

  private final boolean indexSide;

  NgramTokenizer(NgramScheme scheme, int stride, TermForm form, boolean indexSide) {
    this.indexSide = indexSide;
    this.scheme = scheme;
    this.stride = stride;
    this.form = form;
    this.normalizer = scheme.normalization().newNormalizer();
    this.tokens = new TokenBuffer(form == TermForm.TEXT);
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    text.setLength(0);
    int r;
    while ((r = input.read(readBuf)) != -1) {
      text.append(readBuf, 0, r);
    }
    normalizer.tokenize(text, tokens);
    NgramAnalyzer.countTokens(tokens.size());
    tokenTexts = form == TermForm.TEXT ? tokens.texts() : null;
    next = 0;
    last = -1;
    winnowedSize = -1;
    if (indexSide && scheme.winnowed()) {
      // index time of a winnowed scheme: the window minima, as NgramHashStream keeps them
      if (form != TermForm.HASH64) {
        throw new IllegalStateException("winnowing needs hashed terms");
      }
      int count = Math.max(0, tokens.size() - scheme.n() + 1);
      winnowed = NgramHasher.ngramHashes(tokens, scheme.n());
      winnowedSize = NgramHashStream.winnow(winnowed, count, scheme.window());
    }
  }

  @Override
  public boolean incrementToken() {
    if (winnowedSize >= 0) {
      if (next >= winnowedSize) {
        return false;
      }
      clearAttributes();
      NgramTerms.encode(winnowed[next++], hashBytes);
      termAtt.setBytesRef(hashRef);
      posIncAtt.setPositionIncrement(1);
      offsetAtt.setOffset(correctOffset(0), correctOffset(text.length()));
      return true;
    }
    int n = scheme.n();
    if (next > tokens.size() - n) {
      return false;
    }
    clearAttributes();
    int p = next;
    if (form == TermForm.HASH64) {
      NgramTerms.encode(NgramHasher.ngramHash(tokens.hashes(), p, n), hashBytes);
      termAtt.setBytesRef(hashRef);
    } else {
      termAtt.setBytesRef(
          new BytesRef(
              String.join(" ", tokenTexts.subList(p, p + n)).getBytes(StandardCharsets.UTF_8)));
    }
    posIncAtt.setPositionIncrement(p - last);
    offsetAtt.setOffset(correctOffset(tokens.start(p)), correctOffset(tokens.end(p + n - 1)));
    last = p;
    next = p + stride;
    return true;
  }

  @Override
  public void end() throws IOException {
    super.end();
    int finalOffset = correctOffset(text.length());
    offsetAtt.setOffset(finalOffset, finalOffset);
  }

  @Override
  public void close() throws IOException {
    super.close();
    if (text.capacity() > (1 << 22)) {
      text.setLength(0);
      text.trimToSize();
    }
  }
}
