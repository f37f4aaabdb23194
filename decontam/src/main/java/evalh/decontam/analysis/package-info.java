/**
 * Text to index terms: the one Lucene analysis chain of the decontamination index.
 *
 * <h2>Workflow</h2>
 *
 * <ol>
 *   <li>{@link evalh.decontam.analysis.NgramAnalyzer} is built from an {@link
 *       evalh.decontam.text.NgramScheme} (normalisation id, n, stride, hash id), the scheme the
 *       index records in its commit metadata.
 *   <li>Its tokenizer reads the whole field, normalises and splits it with the scheme's {@link
 *       evalh.decontam.text.TextNormalizer} ({@code janitor/1}: lm-eval's {@code janitor.py};
 *       {@code unicode/1}), keeping each token's character span in the original text.
 *   <li>It emits one term per word n-gram: every {@code stride}-th n-gram at index time, every
 *       n-gram at query time ({@link evalh.decontam.analysis.NgramAnalyzer#forQuery}). The term is
 *       the n-gram's 64-bit hash, 8 bytes big-endian ({@link evalh.decontam.analysis.NgramTerms}),
 *       or the n-gram text ({@link evalh.decontam.analysis.TermForm}, for benchmarks).
 *   <li>Offsets span the n-gram's first to last token; the position is its first token's.
 * </ol>
 *
 * <h2>Traps</h2>
 *
 * <ul>
 *   <li>Index and query must use the same scheme: a different normalisation, n or hash makes every
 *       lookup miss silently. The scheme is therefore stored in the index and every reader checks
 *       it; never build an analyzer from command-line defaults when an index exists.
 *   <li>The corpus pass does not analyse Strings: the index build feeds {@link
 *       evalh.decontam.analysis.NgramHashStream} with the token hashes of the reader's byte path;
 *       the analyzer gives the same terms from text (queries, tests), winnowing included.
 *   <li>Stride {@code s > 1} indexes fewer n-grams: only shared runs of at least {@code n + s - 1}
 *       tokens are guaranteed to be found, and per-item counts become lower bounds. Queries always
 *       use stride 1.
 *   <li>The normalisers reproduce Python, not Java: whitespace is {@code str.isspace()} ({@link
 *       evalh.core.text.PythonText}; NBSP is a space, U+200B is not), and the janitor lower-cases
 *       ASCII only. Use {@link java.util.Locale#ROOT} and code points, never {@code
 *       Character.isWhitespace} or the default locale.
 *   <li>Token hashes run over UTF-16 code units; changing that (or any constant of {@link
 *       evalh.decontam.text.NgramHasher}) changes every term: bump the hash id so that old indexes
 *       are refused instead of misread.
 *   <li>Terms are docs-only (no positions, no norms, no stored text): positions of a match inside a
 *       document are recomputed from the document's text ({@code check.DocOverlap}).
 * </ul>
 */
package evalh.decontam.analysis;
