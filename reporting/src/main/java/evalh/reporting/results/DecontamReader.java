package evalh.reporting.results;

import evalh.decontam.schema.DecontamFormatException;
import evalh.decontam.schema.DecontamJson;
import evalh.decontam.schema.DirtyLabels;
import java.nio.file.Path;

/** Reads a decontam.json with the one reader of the format and names its corpus for the report. */
public final class DecontamReader {
  private DecontamReader() {}

  /** Reads {@code file}; a directory means its {@code decontam.json}. */
  public static CorpusLabels read(Path file) {
    DirtyLabels labels;
    try {
      labels = DecontamJson.read(file);
    } catch (DecontamFormatException e) {
      throw new ResultsFormatException(e.getMessage(), e);
    }
    return new CorpusLabels(label(labels), labels);
  }

  /** The corpus name: the name the file gives, else the directory it lies in. */
  static String label(DirtyLabels labels) {
    if (labels.corpusName() != null) {
      return RunLabels.checkpointName(labels.corpusName());
    }
    Path f = labels.file();
    Path parent = f.toAbsolutePath().getParent();
    String stem = f.getFileName().toString().replaceFirst("\\.json$", "");
    if (stem.equals("decontam") && parent != null && parent.getFileName() != null) {
      return parent.getFileName().toString();
    }
    return stem;
  }
}
