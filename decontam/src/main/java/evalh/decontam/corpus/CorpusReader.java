package evalh.decontam.corpus;

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

  /** {@link #read(CorpusFile, DocConsumer, FileStats)} of a local file. */
  default void read(Path file, DocConsumer sink, FileStats stats) throws IOException {
    read(CorpusFile.local(file), sink, stats);
  }
}
