package evalh.decontam.check;

import evalh.decontam.index.NgramIndex;
import evalh.decontam.index.Provenance;
import evalh.decontam.text.NgramScheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link ItemChecker} needs to know about a corpus, whoever computed it: per n-gram the
 * documents containing it, each document's provenance, the texts of a few matched documents, and
 * one pass over every document for items shorter than n. A Lucene index answers from its postings
 * ({@link IndexMatches}); the Spark scan answers from postings it reduced over the cluster. The
 * matching logic (votes, coverage, runs, labels, snippets, answer leaks) lives only in the checker.
 */
public interface CorpusMatches {
  /** The n-gram scheme the postings were computed with. */
  NgramScheme scheme();

  /**
   * Whether the postings hold only the window minima of a winnowed scheme, so that they name
   * candidate documents whose counts {@link VerifiedMatches} must re-count (an index); false where
   * every n-gram of every document was looked at (a scan).
   */
  default boolean windowMinimaOnly() {
    return scheme().winnowed();
  }

  /** Postings for the calling thread (implementations may share one thread-safe instance). */
  Postings postings() throws IOException;

  /** Term lookups. */
  interface Postings {
    /**
     * Number of documents containing the n-gram {@code hash}. When that number is at most {@code
     * collectLimit}, {@code docs} receives their document numbers (it is cleared first).
     */
    int docFreq(long hash, int collectLimit, NgramIndex.IntList docs) throws IOException;

    /** Provenance of a document number returned by {@link #docFreq}. */
    Provenance provenance(int doc) throws IOException;
  }

  /** Receives one fetched document text. */
  interface TextSink {
    void accept(String file, long position, String text);
  }

  /**
   * Delivers the texts of the wanted documents. {@code wanted}: file (as in {@link
   * Provenance#file()}) to position to byte offset (or -1). A file that cannot be read is reported
   * on {@code log} and its documents get no text.
   */
  void fetchTexts(Map<String, TreeMap<Long, Long>> wanted, TextSink sink, PrintWriter log)
      throws IOException;

  /**
   * Has {@code scan} see every document of the corpus (or merges into it the result of the same
   * scan run elsewhere).
   */
  void scanShortItems(ShortItemScan scan, PrintWriter log) throws IOException;

  /** A corpus file a pass could not read on this machine, and why. */
  record Unread(String file, String reason) {}

  /** Files {@link #fetchTexts} could not read so far, in the order met. */
  default List<Unread> unreadTexts() {
    return List.of();
  }

  /** Files {@link #scanShortItems} could not read so far, in the order met. */
  default List<Unread> unreadForShortItems() {
    return List.of();
  }
}
