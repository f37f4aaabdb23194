/**
 * The scan: the items' n-grams checked against every document of a corpus in one pass, without an
 * index.
 *
 * <h2>Workflow</h2>
 *
 * <ol>
 *   <li>{@link evalh.decontam.check.ItemChecker#plan} hashes the items' n-grams (stride 1).
 *   <li>{@link evalh.decontam.scan.NgramScan} reads each corpus file through the reader's token
 *       pass ({@link evalh.decontam.corpus.CorpusReader#readTokens}: for JSONL the text field is
 *       found and tokenised straight from the line's UTF-8 bytes), hashes each document's n-grams
 *       at the scheme's stride and probes them in a primitive set with a Bloom prefilter.
 *   <li>Documents with matches are kept per matched n-gram in a {@link
 *       evalh.decontam.scan.ScanPosting} ({@link evalh.decontam.scan.LocalScan} here, with document
 *       numbers; the Spark job keeps provenance records and merges the same postings across its
 *       partitions), and {@link evalh.decontam.check.ItemChecker} checks the items against them,
 *       through {@link evalh.decontam.scan.ScanPosting#postings}, as against an index.
 * </ol>
 *
 * <h2>Traps</h2>
 *
 * <ul>
 *   <li>The fast reader must give the tokens of the String path exactly: any line outside its
 *       strict JSON subset, and non-ASCII text under {@code unicode/1}, goes the Jackson +
 *       normaliser way; a differential test on random and adversarial lines holds them equal.
 *   <li>The scan keeps the documents of an n-gram only up to the boilerplate cap; asking for more
 *       is an error, not a silent truncation.
 *   <li>{@link evalh.decontam.corpus.TokenizedDoc} is reused by the reader: copy what you keep.
 * </ul>
 */
package evalh.decontam.scan;
