/**
 * Benchmark items against a corpus: the per-item overlap facts and the labels derived from them.
 *
 * <h2>Workflow</h2>
 *
 * <ol>
 *   <li>Each item becomes a {@link evalh.decontam.check.CheckItem}: the checked text (question plus
 *       newline-separated choices) and, apart, the gold answer.
 *   <li>{@link evalh.decontam.check.ItemChecker#plan} turns the items into query n-grams (the
 *       analysis chain at stride 1). A corpus answers through {@link
 *       evalh.decontam.check.CorpusMatches}: a Lucene index ({@link
 *       evalh.decontam.check.IndexMatches}) or a distributed scan that reduced the same postings.
 *   <li>{@link evalh.decontam.check.ItemChecker#check} counts, per item, matched n-grams (and those
 *       found in at most {@code boilerplateCap} documents), coverage and the longest covered run,
 *       ranks documents by votes, re-reads the best ones ({@link
 *       evalh.decontam.check.DocumentTexts}) for snippets ({@link evalh.decontam.check.DocOverlap})
 *       and for the gold answer outside the matched text.
 *   <li>Items shorter than n have no n-gram: {@link evalh.decontam.check.ShortItemScan} compares
 *       them with every document window of their length, in one pass over the corpus.
 *   <li>The result is one {@link evalh.decontam.check.ItemMatch} per item; labels ({@code dirty},
 *       {@link evalh.decontam.check.Llama2Buckets}, {@code answer_leak}, {@code short}) are
 *       functions of its facts only, and {@code decontam.report} renders them.
 * </ol>
 *
 * <h2>Traps</h2>
 *
 * <ul>
 *   <li>The answer must not depend on how the corpus was split: document ties are broken by (file,
 *       position), never by Lucene document number, shard or thread, so a sharded index, a Spark
 *       scan and one local index give the same per-item results. Keep every new ordering so.
 *   <li>{@code dirty} follows GPT-3 / lm-eval: any non-boilerplate n-gram in common. Boilerplate
 *       (n-grams in more than the cap's documents) still counts for coverage and the Llama 2
 *       buckets, which follow the Llama 2 paper (coverage thresholds, buckets overlap).
 *   <li>Counts are lower bounds when the index stride is above 1 (see {@code analysis}). A winnowed
 *       index ({@link evalh.decontam.text.NgramScheme#winnowed()}) only names candidates: {@link
 *       evalh.decontam.check.ItemChecker#check} first wraps it in {@link
 *       evalh.decontam.check.VerifiedMatches}, which re-reads and re-counts them exactly; a scan
 *       looked at every n-gram and says so ({@link
 *       evalh.decontam.check.CorpusMatches#windowMinimaOnly()} false).
 *   <li>Documents are re-read from the corpus files recorded in the index: if those files moved or
 *       changed since indexing, snippets and answer leaks are wrong or missing.
 *   <li>Everything that crosses to Spark executors ({@link evalh.decontam.check.ShortItemScan},
 *       {@link evalh.decontam.check.DocHit}) is {@link java.io.Serializable} and mergeable: a merge
 *       of partial results must equal one sequential pass.
 * </ul>
 */
package evalh.decontam.check;
