package evalh.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.analysis.NgramAnalyzer;
import evalh.decontam.analysis.NgramTerms;
import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.junit.jupiter.api.Test;

class NgramAnalyzerTest {
  static final String TEXT = "One, two; THREE four -- five six seven eight nine ten.";

  record Term(long hash, int position, String span) {}

  static List<Term> terms(Analyzer a, String text) throws Exception {
    List<Term> out = new ArrayList<>();
    try (TokenStream ts = a.tokenStream(NgramTerms.FIELD, text)) {
      TermToBytesRefAttribute t = ts.addAttribute(TermToBytesRefAttribute.class);
      PositionIncrementAttribute pi = ts.addAttribute(PositionIncrementAttribute.class);
      OffsetAttribute off = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      int pos = -1;
      while (ts.incrementToken()) {
        pos += pi.getPositionIncrement();
        out.add(
            new Term(
                NgramTerms.decode(t.getBytesRef()),
                pos,
                text.substring(off.startOffset(), off.endOffset())));
      }
      ts.end();
    }
    return out;
  }

  static long hashOf(String... words) {
    long[] th = new long[words.length];
    for (int i = 0; i < words.length; i++) {
      th[i] = NgramHasher.tokenHash(words[i]);
    }
    return NgramHasher.ngramHash(th, 0, words.length);
  }

  @Test
  void indexAnalyzerEmitsEveryStrideThNgramAndQueryAnalyzerEmitsAll() throws Exception {
    NgramScheme scheme = new NgramScheme(Normalization.JANITOR, 3, 4);
    List<Term> index = terms(NgramAnalyzer.forIndex(scheme), TEXT);
    assertThat(index).extracting(Term::position).containsExactly(0, 4);
    assertThat(index.get(0).hash()).isEqualTo(hashOf("one", "two", "three"));
    assertThat(index.get(0).span()).isEqualTo("One, two; THREE");
    assertThat(index.get(1).hash()).isEqualTo(hashOf("five", "six", "seven"));
    List<Term> query = terms(NgramAnalyzer.forQuery(scheme), TEXT);
    assertThat(query).hasSize(8);
    assertThat(query.get(7).hash()).isEqualTo(hashOf("eight", "nine", "ten"));
    assertThat(query.get(7).span()).isEqualTo("eight nine ten.");
    assertThat(terms(NgramAnalyzer.forQuery(scheme), "too short")).isEmpty();
  }

  @Test
  void hashDependsOnOrderAndLength() {
    assertThat(hashOf("a", "b", "c")).isNotEqualTo(hashOf("c", "b", "a"));
    assertThat(hashOf("ab", "c")).isNotEqualTo(hashOf("a", "bc"));
    assertThat(hashOf("a", "b")).isNotEqualTo(hashOf("a", "b", "b"));
  }
}
