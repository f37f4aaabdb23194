package evalh.decontam.paraphrase;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the paraphrase pass needs of a corpus's windows: their statistics, each query's candidates
 * ({@link Candidates}) and the windows themselves. The local {@link WindowIndex} answers from
 * Lucene; a distributed engine answers by streaming the corpus's windows past the queries. Both cut
 * and analyze windows with {@link Windows}, so both give the same answers.
 */
public interface WindowSource {
  /**
   * Window statistics.
   *
   * @param windows windows in the corpus
   * @param docFreqs of each term asked for, the windows holding it
   */
  record Stats(long windows, Map<String, Long> docFreqs) {}

  /** The number of windows and the document frequencies of {@code terms}. */
  Stats stats(Set<String> terms) throws IOException;

  /**
   * One item's (or null item's) weighted terms, their candidate units and the least overlap a
   * candidate needs ({@link Candidates}).
   */
  record Query(ItemTerms terms, long[] units, long minOverlap) {
    /**
     * The query of {@code terms}: {@link Candidates#units}, and {@link Candidates#minOverlap} for a
     * least share {@code minShare} of the units of the terms some window holds.
     *
     * @param docFreq windows holding each term
     */
    public static Query of(ItemTerms terms, long[] docFreq, double minShare) {
      long[] u = Candidates.units(terms);
      return new Query(terms, u, Candidates.minOverlap(u, docFreq, minShare));
    }
  }

  /**
   * Each query's candidates, in {@link Candidates#ORDER}: of its windows with an overlap of at
   * least {@link Query#minOverlap}, the {@code k} of highest overlap, each with its lexical score.
   *
   * @param threads threads to use where the source runs on this machine
   */
  List<List<Candidates.Candidate>> candidates(List<Query> queries, int k, int threads)
      throws IOException;

  /** The windows of {@code candidates} with their provenance and text, in the same order. */
  List<WindowIndex.WindowDoc> windows(List<Candidates.Candidate> candidates) throws IOException;

  /** The statistics' and windows' origin, for messages. */
  String describe();
}
