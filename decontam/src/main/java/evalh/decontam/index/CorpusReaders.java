package evalh.decontam.index;

import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.corpus.CorpusReader;
import evalh.decontam.corpus.JsonlCorpusReader;
import evalh.decontam.corpus.ParquetCorpusReader;
import java.nio.file.Path;
import java.util.List;

/** Picks the reader for a corpus file by its extension. */
public final class CorpusReaders {
  private CorpusReaders() {}

  public static CorpusReader forFile(Path file, List<String> textFields, String idField) {
    return forName(file.getFileName().toString(), textFields, idField);
  }

  /** The reader for a file of this name. */
  public static CorpusReader forName(String name, List<String> textFields, String idField) {
    return CorpusFiles.isParquet(name)
        ? new ParquetCorpusReader(textFields, idField)
        : new JsonlCorpusReader(textFields, idField);
  }
}
