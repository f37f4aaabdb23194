package evalh.decontam.cli;

import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.BuildReport;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.IndexState;
import evalh.decontam.index.IndexTrust;
import evalh.decontam.paraphrase.WindowIndexState;
import evalh.decontam.paraphrase.WindowIndexer;
import evalh.decontam.paraphrase.WindowOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code evalh index}: builds or extends an n-gram index over training corpora. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Build (or extend) a Lucene word n-gram index over training corpora.",
      "Reads JSONL (.jsonl/.json/.ndjson: plain, .gz or .zst) and parquet,",
      "one document per line/row. Re-running with more files adds only new or",
      "changed ones; an interrupted build keeps every finished file and resumes.",
      "Malformed lines, missing text fields, invalid UTF-8 and truncated files",
      "are counted per file, never fatal; an empty corpus is an error."
    })
public final class IndexCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--corpus",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description = "Corpus files, directories (searched recursively) or globs.")
  List<String> corpus;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Index directory, e.g. indexes/dclm.")
  Path out;

  @Option(
      names = "--paraphrase",
      description =
          "Also build (or extend) the paraphrase pass's window index in <out>/paraphrase: the"
              + " documents cut into overlapping windows of 96 words (step 24), English analysis,"
              + " each window's distinct terms indexed (see evalh decontam --paraphrase).")
  boolean paraphrase;

  @Option(
      names = "--allow-partial",
      description =
          "Accept corpus files that cannot be read to the end (a truncated or corrupt .gz/.zst,"
              + " an unreadable parquet file): their documents before the damage are indexed and"
              + " the index is partial. Default: such a file is an error naming it and the byte"
              + " offset (the index keeps what was read; decontam then needs --allow-partial).")
  boolean allowPartial;

  @Mixin SchemeOptions scheme;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    BuildOptions opts;
    List<Path> files;
    try {
      opts = scheme.build();
      files = CorpusFiles.expand(corpus);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    OutputDirectories.requireDirectory(spec.commandLine(), "--out", this.out);
    BuildReport r = new CorpusIndexer(this.out, opts, out).build(files);
    print(out, this.out, r);
    List<String> truncated = IndexTrust.truncatedFiles(CorpusIndexer.existing(this.out));
    if (!truncated.isEmpty()) {
      if (!allowPartial) {
        throw new IllegalStateException(
            "index "
                + this.out
                + " is partial: "
                + IndexTrust.truncatedError(truncated, "evalh index ... --allow-partial"));
      }
      truncated.forEach(t -> out.println("warning: partial index: not read to the end: " + t));
    }
    if (paraphrase) {
      Path windows = this.out.resolve(WindowIndexer.DIR);
      WindowIndexer.Report w =
          new WindowIndexer(
                  windows, WindowOptions.of(opts.textFields(), opts.idField(), opts.threads()), out)
              .build(files.stream().map(CorpusFile::local).toList());
      printWindows(out, windows, w);
    }
    return 0;
  }

  static void printWindows(PrintWriter out, Path dir, WindowIndexer.Report r) throws IOException {
    long bytes = directorySize(dir);
    long words = 0;
    WindowIndexState st = WindowIndexer.existing(dir);
    for (var f : st.files) {
      words += f.stats == null ? 0 : f.stats.tokens;
    }
    out.printf(
        Locale.ROOT,
        "window index: %d file(s) indexed (%d skipped as unchanged), %d words in %.1f s; %s now"
            + " holds %d windows, %.2f bytes per corpus word (%s)%n",
        r.indexed().size(),
        r.skipped().size(),
        r.words(),
        r.seconds(),
        dir,
        r.windows(),
        words == 0 ? 0.0 : (double) bytes / words,
        humanBytes(bytes));
  }

  static void print(PrintWriter out, Path indexDir, BuildReport r) throws IOException {
    long bytes = directorySize(indexDir) - directorySize(indexDir.resolve(WindowIndexer.DIR));
    IndexState st = CorpusIndexer.existing(indexDir);
    long allTokens =
        st.files.stream().filter(f -> f.stats != null).mapToLong(f -> f.stats.tokens).sum();
    long problems =
        r.indexed().stream().filter(f -> f.stats != null && f.stats.hasProblems()).count();
    out.printf(
        Locale.ROOT,
        "indexed %d file(s) (%d skipped as unchanged): %d tokens in %.1f s; index %s now holds %d"
            + " documents, %d files, %.2f bytes per corpus token (%s)%n",
        r.indexed().size(),
        r.skipped().size(),
        r.tokens(),
        r.seconds(),
        indexDir,
        r.totalDocs(),
        st.files.size(),
        allTokens == 0 ? 0.0 : (double) bytes / allTokens,
        humanBytes(bytes));
    if (problems > 0) {
      out.println(
          problems
              + " file(s) had bad records (see the lines above and "
              + IndexState.MIRROR_FILE
              + ")");
    }
  }

  /** Bytes of the regular files under {@code dir} (a sharded index's shards included). */
  static long directorySize(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static String humanBytes(long b) {
    if (b < 1 << 20) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    if (b < 1L << 30) {
      return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
    }
    return String.format(Locale.ROOT, "%.2f GiB", b / 1073741824.0);
  }
}
