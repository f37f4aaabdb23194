package evalh.decontam.corpus;

import evalh.decontam.text.Normalization;
import evalh.decontam.text.TextNormalizer;
import evalh.decontam.text.TokenBuffer;
import java.io.IOException;
import java.nio.file.Path;

/** Streams the documents of one corpus file. Bad records are counted in {@link FileStats}. */
public interface CorpusReader {
  /** Receives documents in file order. */
  @FunctionalInterface
  interface DocConsumer {
    /** Returns false to stop reading early. */
    boolean accept(CorpusDoc doc) throws IOException;
  }

  /**
   * Reads {@code file}, handing every document with non-empty text to {@code sink}. Content
   * problems (malformed records, truncation) are counted in {@code stats}, never thrown; an
   * IOException means the file could not be opened or the sink failed.
   */
  void read(CorpusFile file, DocConsumer sink, FileStats stats) throws IOException;

  /** Receives tokenised documents in file order. */
  @FunctionalInterface
  interface TokenConsumer {
    /** Returns false to stop reading early. */
    boolean accept(TokenizedDoc doc) throws IOException;
  }

  /**
   * The corpus pass of an index build or a scan: every document {@link #read} delivers, as its
   * normalised token hashes (exactly those of {@code normalization}'s {@link TextNormalizer} on the
   * text, hashed by {@link evalh.decontam.text.NgramHasher#tokenHash}). Also counts {@code
   * stats.tokens}. This default tokenises the text {@link #read} decodes; the JSONL reader reads
   * the hashes straight from the line's bytes.
   */
  default void readTokens(
      CorpusFile file, Normalization normalization, TokenConsumer sink, FileStats stats)
      throws IOException {
    TextNormalizer normalizer = normalization.newNormalizer();
    TokenBuffer buffer = new TokenBuffer();
    TokenizedDoc td = new TokenizedDoc();
    read(
        file,
        (CorpusDoc d) -> {
          normalizer.tokenize(d.text(), buffer);
          td.tokens().clear();
          td.tokens().addAll(buffer);
          td.set(d.position(), d.byteOffset(), d.id(), () -> d);
          stats.tokens += buffer.size();
          return sink.accept(td);
        },
        stats);
  }

  /** {@link #read(CorpusFile, DocConsumer, FileStats)} of a local file. */
  default void read(Path file, DocConsumer sink, FileStats stats) throws IOException {
    read(CorpusFile.local(file), sink, stats);
  }
}
