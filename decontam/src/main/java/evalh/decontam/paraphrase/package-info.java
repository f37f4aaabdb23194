/**
 * The paraphrase pass of {@code evalh decontam --paraphrase}: finds benchmark items that a corpus
 * holds rephrased (QA rewrites), which a 13-gram check cannot see.
 *
 * <h2>Workflow</h2>
 *
 * <ol>
 *   <li><b>Window index</b> ({@link evalh.decontam.paraphrase.WindowIndexer}, in {@code <n-gram
 *       index>/paraphrase}): each corpus document (read by the n-gram index's own readers) is cut
 *       into windows of 96 whitespace words starting every 24 words, so any passage of up to 73
 *       words lies whole in one window ({@link evalh.decontam.paraphrase.Windows#read}, the one
 *       definition of a window). One Lucene document per window: its distinct terms by {@link
 *       evalh.decontam.paraphrase.ParaphraseAnalyzer}, analysed once, indexed (postings only) and
 *       kept as sorted-set doc values (per segment a sorted term dictionary and each window's term
 *       ordinals), so that statistics and scoring never analyse a window again; its raw text
 *       stored; its provenance (file, line or row, word offset as doc values; the document's byte
 *       offset and id stored). Files are committed one by one with their status in the commit data,
 *       exactly as in the n-gram index: re-runs skip unchanged files and resume interrupted ones; a
 *       build that changed the index ends by merging it into one segment (a query's cost is largely
 *       per segment; an interrupted merge leaves the last commit valid); an index with {@code
 *       started} files or no windows is refused, and so is one of an older format ({@code
 *       evalh.window-index/1} or {@code /2}: rebuild it).
 *   <li><b>Terms</b>: an item's query is the set of analysed terms of its question and its gold
 *       answer (not the wrong choices). The analyzer maps math notation to MMLU's ASCII forms
 *       ({@code ℤ₁₂} and {@code Z_12} alike, {@code x¹²} as {@code x 12}, {@code 3ℤ} as {@code 3Z},
 *       × as {@code x}, √ and LaTeX commands as words) and number words (two, squared) to digits,
 *       drops English stop words and question-template words (which, following, find, called, best
 *       ...), and stems with KStem. An <i>indexed symbol</i> ({@code Z_12}, {@code S_7}: letters,
 *       underscore, digits) gives its head {@code z}, its index {@code 12} and the symbol {@code
 *       z_12} itself ({@link evalh.decontam.paraphrase.IndexedSymbolFilter}).
 *   <li><b>Candidates</b> ({@link evalh.decontam.paraphrase.Candidates}): a window's overlap with
 *       an item is the sum of {@code round(w(t)³ · 2^14)} over the item terms it holds exactly
 *       (cubed: the rarer terms decide; the lightest terms, each under 1% of the item's total and
 *       together under 10%, count 0); the item's candidates are, of the windows whose overlap is at
 *       least 20% of the total over the item's terms some window holds ({@link
 *       evalh.decontam.paraphrase.Candidates#MIN_SHARE}; no floor with an encoder), the 20 of
 *       highest overlap, ties broken by provenance; an item without any scores 0. The window index
 *       finds them with one Lucene query per item (boosted constant-score term clauses, whose
 *       max-score pruning skips windows that cannot reach the larger of the floor and the 20th
 *       overlap, all ties kept); a distributed engine (Spark scan mode) by streaming every window
 *       past an inverted table of the items' terms and keeping a bounded heap per item. Both
 *       compute the same integers over the same term sets, so they find the same windows. The
 *       window index then reads each candidate window's terms once ({@link
 *       evalh.decontam.paraphrase.TermScan}: ordinals in doc order, resolved to strings in ordinal
 *       order) and scores every item it is a candidate of against it, prepared once ({@link
 *       evalh.decontam.paraphrase.WindowTerms}: term set, prefix set, joined terms).
 *   <li><b>Score</b> of an item {@code Q} and a window {@code W}, in [0, 1]:
 *       <pre>
 *   w(t)    = idf(t) / idf(df = 0) · b(t)          idf: BM25's formula, over windows
 *             (0 for an indexed symbol: its head and index are terms of their own)
 *   b(t)    = 1 if the term is in at most 5% of the checked items, 0 from 50%, linear in
 *             log frequency between (template words of the benchmark); 1 for all with < 20 items
 *   c(t, W) = 1 if t is a term of W; 0.5 if a term of W shares its first 5 letters or one
 *             contains the other (both >= 5 letters); else 0
 *   A(Q, W) = 1 − k / K     K: the indexed symbols of Q; k: those W contradicts, i.e. W lacks
 *             h_i but names h_j, same head, other index (ℤ₁₁ for an item about ℤ₇); 1 if K = 0
 *   S(Q, W) = A(Q, W) · Σ w(t)·c(t, W) / (Σ w(t) + 2)          over the distinct terms t of Q
 * </pre>
 *       The item's score is its best candidate's. The {@code + 2} shrinkage keeps items of few or
 *       common words from scoring high on any same-topic window. {@code A} is the one place where a
 *       window's words count against an item: a rewrite keeps the item's objects (it may spell
 *       {@code S_7} as "the symmetric group on seven letters", which is no contradiction), while a
 *       template twin ("the order of ℤ₁₂/⟨4⟩" for "the order of Z_6/&lt;3&gt;") names another
 *       member of the same family. {@code S} needs only the item's terms with their weights and the
 *       set of the window's analysed terms (symbols included), so it can be computed from terms
 *       stored at index time as well as from re-analysed window text.
 *   <li><b>Calibration</b> ({@link evalh.decontam.paraphrase.Calibration}): per task, at least 300
 *       null pseudo-items, each with as many terms as one of the task's items, drawn at random
 *       (seeded) from the terms of the task's other items, are scored exactly like items. They
 *       share the subject's vocabulary but cannot be a rephrase of any one item. The task's
 *       threshold is the null scores' (1 − target FPR) quantile (default target 1% per item),
 *       raised to a floor of 0.35; {@code --paraphrase-threshold} overrides it. The estimated
 *       false-positive rate is the fraction of null scores above the threshold. An item is a
 *       suspect when its score is above its task's threshold.
 *   <li><b>Encoder</b> ({@code --encoder DIR}, optional): through core's {@link
 *       evalh.core.embed.SentenceEncoder} seam (the first {@link
 *       evalh.core.embed.SentenceEncoderProvider} on the class path; none is an error), the item's
 *       question and gold answer and each candidate window are embedded, and a window's score
 *       becomes {@code (S + max(0, cos)) / 2} ({@link
 *       evalh.decontam.paraphrase.ParaphraseScore#combine}); null items (their terms joined by
 *       spaces) get the same, so the threshold is calibrated on the combined score.
 * </ol>
 *
 * <h2>Traps</h2>
 *
 * <ul>
 *   <li>Scores are comparable within one corpus only: idf and the null distribution depend on it.
 *       Never reuse a threshold across corpora without recalibrating.
 *   <li>The threshold depends on the item set: {@code b(t)} and the null pseudo-items come from the
 *       checked items, so checking one subject alone gives other thresholds than the whole suite.
 *   <li>Template families score as high as rephrases unless they differ in an indexed symbol: two
 *       algebra items that differ in a polynomial ({@code x^2 + c} versus {@code x³ + x² + c}) or
 *       in which element is asked for ({@code -i} versus {@code -1}), "red blood cells" versus
 *       "platelets", "missense" versus "nonsense": bag-of-words recall cannot tell a rewrite of the
 *       item from a rewrite of its twin. They are the main false positives, which is why
 *       decontam.md lists every suspect beside its window for a person to judge.
 *   <li>Plain numbers do not contradict (only indexed symbols do): worked solutions and dates put
 *       other numbers beside a rewrite's own, and a rewrite may say "one quarter" for "1/4". Items
 *       that differ only in a plain number (the Compromise of 1850 and the Kansas-Nebraska Act of
 *       1854) are told apart only by the weight of the number that does not match.
 *   <li>A symbol written without an index ({@code Z_n}, {@code GF(2)}, "the integers modulo 12") is
 *       no symbol: it neither contradicts nor is contradicted.
 *   <li>Rewrites that swap nearly every content word for a synonym ("solvable" to "resolvable",
 *       "largest" for "maximum") are missed; the half credit for shared prefixes only covers
 *       derived forms.
 *   <li>A rephrase longer than 73 words may be split over two windows and score lower.
 *   <li>With an encoder only the 20 candidates are embedded: a rephrase that shares too few exact
 *       terms to be among them is not found by the encoder either. A null item's text is a bag of
 *       terms, not a sentence, so its cosines may run lower than a real item's on unrelated
 *       windows.
 *   <li>Candidates count exact terms only, the score also prefix credits: a window of many
 *       half-credit terms can score higher than some candidate yet not be one.
 *   <li>The floor, the cubed units and the dropped light terms are what make the check fast:
 *       without them the 20th overlap of an item on bench-decontam's 1 GB corpus stays near a tenth
 *       of the item's weight, so each query walks the postings of every mid-frequency term (21 M
 *       postings per item, 458 k of them essential to the pruning at a 20% floor of plain weights,
 *       65 k with cubed units, 46 k with the light terms dropped, which also takes the postings a
 *       query must advance through from 8.9 M to 0.3 M). Chosen on the rephrase set's tuning half:
 *       the largest share in steps of 0.1 and the highest power that change no verdict there (a 30%
 *       floor, or fourth powers, lose a biology rephrase held mostly by prefix credits); dropping
 *       the light terms changes none either. A rewrite that keeps less than a fifth of the item's
 *       cubed weight in exact terms is not found by the lexical pass, and clean items report 0
 *       rather than the score of some unrelated same-topic window. With {@code --encoder} the floor
 *       is off (the encoder is for the rewrites that keep few exact terms).
 *   <li>Streaming the window index's term ordinals past an inverted item-term table (the Spark
 *       scan's method, one pass instead of a query per item) gives the same candidates but was
 *       measured slower locally (before the floor), even with MaxScore pruning per item: on
 *       bench-decontam's corpus, where items and windows share a Zipfian vocabulary, a window
 *       shares terms with about 14,000 of the 31,000 items and null items, and the k-th best
 *       overlap stays near 1.5 terms' weight, so most (window, item) pairs must be visited;
 *       Lucene's per-item pruned disjunction skips more. Re-measure before switching.
 *   <li>Equal overlaps are common (duplicated boilerplate): Lucene's own top-k breaks ties by doc
 *       id, which depends on indexing order and threads; {@code TopWithTies} keeps every tie of the
 *       20th so that provenance decides, as in a scan.
 *   <li>The analyzer id is stored in the index; changing the chain or its tables must change {@link
 *       evalh.decontam.paraphrase.ParaphraseAnalyzer#ID}, or old indexes would be queried with
 *       other terms than they hold.
 * </ul>
 */
package evalh.decontam.paraphrase;
