package evalh.decontam.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.decontam.check.CorpusMatches;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.index.Provenance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one posting type of the local and the Spark scan: the cap, merging, the checker's view. */
class ScanPostingTest {
  private static ScanPosting<String> of(int cap, String... docs) {
    ScanPosting<String> p = new ScanPosting<>();
    for (String d : docs) {
      p.add(d, cap);
    }
    return p;
  }

  @Test
  void documentsAreKeptUpToTheCapThenOnlyCounted() {
    ScanPosting<String> p = of(3, "a", "b", "c");
    assertThat(p.count()).isEqualTo(3);
    assertThat(p.docs()).containsExactly("a", "b", "c");
    p.add("d", 3);
    assertThat(p.count()).isEqualTo(4);
    assertThat(p.docs()).isNull();
    p.add("e", 3);
    assertThat(p.count()).isEqualTo(5);
    assertThat(p.docs()).isNull();
  }

  @Test
  void mergingGivesWhatOneScanOverBothParts() {
    // every way to split five documents into two parts merges into what adding them all gives
    String[] all = {"a", "b", "c", "d", "e"};
    for (int cap = 0; cap <= 6; cap++) {
      for (int split = 0; split <= all.length; split++) {
        ScanPosting<String> left = of(cap, java.util.Arrays.copyOfRange(all, 0, split));
        ScanPosting<String> right = of(cap, java.util.Arrays.copyOfRange(all, split, all.length));
        ScanPosting<String> m = ScanPosting.merge(left, right, cap);
        ScanPosting<String> one = of(cap, all);
        assertThat(m.count()).as("cap %d split %d", cap, split).isEqualTo(5);
        assertThat(m.docs()).as("cap %d split %d", cap, split).isEqualTo(one.docs());
      }
    }
  }

  @Test
  void theCheckersViewReportsCountsAndDocumentsWithinTheLimit() throws Exception {
    int cap = 3;
    Map<Long, ScanPosting<String>> byHash =
        Map.of(1L, of(cap, "x", "y"), 2L, of(cap, "x", "y", "z", "w"));
    List<String> names = List.of("x", "y", "z", "w");
    List<Integer> asked = new ArrayList<>();
    CorpusMatches.Postings view =
        ScanPosting.postings(
            byHash,
            cap,
            names::indexOf,
            d -> {
              asked.add(d);
              return new Provenance(d, 0, "f", d, -1, names.get(d));
            });
    NgramIndex.IntList out = new NgramIndex.IntList();
    out.add(99); // cleared by every call
    assertThat(view.docFreq(1L, 3, out)).isEqualTo(2);
    assertThat(out.size()).isEqualTo(2);
    assertThat(List.of(out.get(0), out.get(1))).containsExactly(0, 1);
    // more documents than the limit: the count only
    assertThat(view.docFreq(1L, 1, out)).isEqualTo(2);
    assertThat(out.size()).isZero();
    assertThat(view.docFreq(2L, 3, out)).isEqualTo(4);
    assertThat(out.size()).isZero();
    out.add(7);
    assertThat(view.docFreq(3L, 3, out)).isZero();
    assertThat(out.size()).isZero();
    assertThat(view.provenance(1).id()).isEqualTo("y");
    assertThat(asked).containsExactly(1);
    assertThatThrownBy(() -> view.docFreq(1L, 4, out))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at most 3 documents; asked for 4");
  }
}
