package evalh.decontam.check;

import java.util.List;

/**
 * Every fact about one item's overlap with the corpus; labels are derived from these facts alone
 * (so a Spark job that produces the same facts produces the same report).
 *
 * @param task leaf task
 * @param docId item index in the task's split
 * @param tokens normalised tokens of the checked text
 * @param ngrams n-grams of the checked text ({@code max(0, tokens - n + 1)})
 * @param matchedNgrams n-gram positions found in at least one document
 * @param matchedNonBoilerplate n-gram positions found in 1..cap documents
 * @param coverage fraction of tokens inside a matched n-gram (any document frequency)
 * @param longestRun longest run of tokens covered by matched n-grams with consecutive starts
 * @param maxDocFreq highest document frequency among matched n-grams (0 if none)
 * @param isShort fewer tokens than n (checked by exact whole-item match)
 * @param shortMatch for short items: the whole item occurs in a document
 * @param answerLeak a document matching the item also holds the gold answer outside the matched
 *     text
 * @param topDocs best matching documents
 */
public record ItemMatch(
    String task,
    int docId,
    int tokens,
    int ngrams,
    int matchedNgrams,
    int matchedNonBoilerplate,
    double coverage,
    int longestRun,
    int maxDocFreq,
    boolean isShort,
    boolean shortMatch,
    boolean answerLeak,
    List<DocHit> topDocs) {

  /** GPT-3 / lm-eval label: any non-boilerplate n-gram matched (short items: whole-item match). */
  public boolean dirty() {
    return isShort ? shortMatch : matchedNonBoilerplate > 0;
  }

  /** Llama-2 buckets (overlapping): clean / not_clean / not_dirty / dirty by coverage. */
  public List<String> llama2Buckets() {
    return Llama2Buckets.of(coverage);
  }
}
