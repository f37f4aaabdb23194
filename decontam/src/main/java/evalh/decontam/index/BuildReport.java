package evalh.decontam.index;

import java.util.List;

/**
 * What one {@link CorpusIndexer#build} run did.
 *
 * @param indexed files read in this run (with their stats)
 * @param skipped files already in the index unchanged
 * @param totalDocs live documents in the index afterwards
 * @param seconds wall time of this run
 * @param textChars characters of text read in this run
 * @param tokens normalised tokens analysed in this run
 */
public record BuildReport(
    List<IndexState.FileEntry> indexed,
    List<String> skipped,
    long totalDocs,
    double seconds,
    long textChars,
    long tokens) {}
