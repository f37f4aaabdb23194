package evalh.decontam.cli;

import evalh.decontam.index.BuildOptions;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import java.util.List;
import picocli.CommandLine.Option;

/** Options that fix how an index is built (shared by index and decontam). */
final class SchemeOptions {
  @Option(
      names = "--field",
      paramLabel = "NAME",
      description =
          "Text field (JSON key or parquet column); repeat to join several fields with a newline"
              + " (e.g. --field inputs --field targets). Default: text.")
  List<String> fields;

  @Option(
      names = "--id-field",
      paramLabel = "NAME",
      defaultValue = "id",
      description =
          "Document id field kept as provenance when present (default: ${DEFAULT-VALUE}).")
  String idField;

  @Option(
      names = "--n",
      paramLabel = "N",
      defaultValue = "13",
      description = "Word n-gram length (default: ${DEFAULT-VALUE}, as GPT-3 and lm-eval).")
  int n;

  @Option(
      names = "--stride",
      paramLabel = "S",
      defaultValue = "1",
      description =
          "Index every S-th n-gram of each document (default: ${DEFAULT-VALUE}). Shared runs of at"
              + " least n+S-1 tokens are still always found; counts become lower bounds.")
  int stride;

  @Option(
      names = "--winnow",
      paramLabel = "W",
      defaultValue = "1",
      description =
          "Winnowing: index only the smallest n-gram hash of every W consecutive n-grams (about"
              + " 2/(W+1) of them; default: ${DEFAULT-VALUE}, every n-gram). Shared runs of at"
              + " least n+W-1 tokens are always found; the documents found are re-read and"
              + " re-counted at check time, so counts stay exact. Not with --stride.")
  int winnow;

  @Option(
      names = "--normalization",
      paramLabel = "MODE",
      defaultValue = "janitor",
      description =
          "janitor (lm-eval janitor: ASCII lower-case, ASCII punctuation deleted, whitespace split)"
              + " or unicode (NFKC, case fold, Unicode punctuation/symbols deleted). Default:"
              + " ${DEFAULT-VALUE}.")
  String normalization;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Worker threads (default: number of CPUs, at most 8).")
  Integer threads;

  @Option(
      names = "--ram-buffer-mb",
      paramLabel = "MB",
      defaultValue = "256",
      description = "Lucene indexing buffer shared by all threads (default: ${DEFAULT-VALUE}).")
  double ramBufferMb;

  int threads() {
    return threads != null ? threads : Math.min(8, Runtime.getRuntime().availableProcessors());
  }

  BuildOptions build() {
    if (!(ramBufferMb > 0) || Double.isInfinite(ramBufferMb)) {
      throw new IllegalArgumentException("--ram-buffer-mb must be > 0, got " + ramBufferMb);
    }
    NgramScheme scheme = new NgramScheme(Normalization.parse(normalization), n, stride, winnow);
    List<String> f = fields == null || fields.isEmpty() ? List.of("text") : fields;
    return new BuildOptions(scheme, f, idField, threads(), ramBufferMb);
  }
}
