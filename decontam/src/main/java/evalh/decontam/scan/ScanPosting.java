package evalh.decontam.scan;

import evalh.decontam.check.CorpusMatches;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.index.Provenance;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * The documents of a scan that hold one item n-gram: their number, and the documents themselves
 * while that number is at most the boilerplate cap (beyond it only the count matters, as with an
 * index lookup). One type for every scan: {@link LocalScan} keeps document numbers, the Spark job
 * provenance records that it merges across partitions ({@link #merge}).
 *
 * @param <D> what identifies a document ({@link Serializable}, since a Spark shuffle carries it)
 */
public final class ScanPosting<D extends Serializable> implements Serializable {
  private static final long serialVersionUID = 1L;

  // not final: Kryo's FieldSerializer (spark.serializer=KryoSerializer) rebuilds it field by field
  private long count;
  private ArrayList<D> docs = new ArrayList<>(1);

  /** Counts one more document holding the n-gram, kept while the count is at most {@code cap}. */
  public void add(D doc, int cap) {
    count++;
    if (docs != null) {
      if (count <= cap) {
        docs.add(doc);
      } else {
        docs = null;
      }
    }
  }

  /** The postings of two disjoint sets of documents, capped as {@link #add} caps. */
  public static <D extends Serializable> ScanPosting<D> merge(
      ScanPosting<D> a, ScanPosting<D> b, int cap) {
    ScanPosting<D> m = new ScanPosting<>();
    m.count = a.count + b.count;
    if (m.count <= cap && a.docs != null && b.docs != null) {
      m.docs.addAll(a.docs);
      m.docs.addAll(b.docs);
    } else {
      m.docs = null;
    }
    return m;
  }

  /** Documents holding the n-gram. */
  public long count() {
    return count;
  }

  /** The documents, in the order added; null once there were more than the cap. */
  public List<D> docs() {
    return docs;
  }

  /**
   * The checker's view of a scan's postings.
   *
   * @param cap the cap the postings were kept with: asking for the documents of more is an error
   * @param number a document's number (what {@code docFreq} reports)
   * @param provenance the provenance of a document number
   */
  public static <D extends Serializable> CorpusMatches.Postings postings(
      Map<Long, ScanPosting<D>> byHash,
      int cap,
      ToIntFunction<D> number,
      IntFunction<Provenance> provenance) {
    return new CorpusMatches.Postings() {
      @Override
      public int docFreq(long hash, int collectLimit, NgramIndex.IntList out) {
        if (collectLimit > cap) {
          throw new IllegalStateException(
              "the scan kept documents of n-grams in at most "
                  + cap
                  + " documents; asked for "
                  + collectLimit);
        }
        out.clear();
        ScanPosting<D> p = byHash.get(hash);
        if (p == null) {
          return 0;
        }
        if (p.count <= collectLimit) {
          for (D d : p.docs) {
            out.add(number.applyAsInt(d));
          }
        }
        return (int) Math.min(Integer.MAX_VALUE, p.count);
      }

      @Override
      public Provenance provenance(int doc) {
        return provenance.apply(doc);
      }
    };
  }
}
