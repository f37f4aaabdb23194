package evalh.decontam.cli;

import evalh.core.embed.SentenceEncoder;
import evalh.decontam.check.CheckItem;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.check.SkippedCheck;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.engine.DistributedEngine;
import evalh.decontam.engine.DistributedEngines;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.IndexState;
import evalh.decontam.index.IndexTrust;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.index.ShardManifest;
import evalh.decontam.paraphrase.Encoders;
import evalh.decontam.paraphrase.ParaphraseChecker;
import evalh.decontam.paraphrase.ParaphraseItem;
import evalh.decontam.paraphrase.WindowIndex;
import evalh.decontam.paraphrase.WindowIndexer;
import evalh.decontam.paraphrase.WindowOptions;
import evalh.decontam.paraphrase.WindowSource;
import evalh.decontam.report.CorpusSource;
import evalh.decontam.report.DecontamReport;
import evalh.decontam.schema.DecontamJson;
import evalh.decontam.text.NgramScheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Runs one {@code evalh decontam} job: finds or builds the index (or starts a distributed engine),
 * checks the items, writes the report and prints its summary. The options come parsed and checked
 * from {@link DecontamCommand}.
 */
final class DecontamRunner {
  /** An option value that turned out unusable while running: a usage error (exit 2). */
  static final class BadOption extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadOption(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * What to check and where the report goes.
   *
   * @param data where the items came from, and their content hashes
   * @param spec the task spec or items file name the report is titled with
   * @param t0 when the command started ({@link System#nanoTime()})
   * @param paraphrase the paraphrase pass, or null without {@code --paraphrase}
   */
  record Job(
      PrintWriter log,
      List<CheckItem> items,
      DecontamReport.CheckedData data,
      CheckSettings settings,
      String spec,
      Path outDir,
      long t0,
      Paraphrase paraphrase) {}

  /**
   * The paraphrase pass of {@code --paraphrase}.
   *
   * @param items the same items as the n-gram pass, question and gold answer apart
   * @param encoder {@code --encoder}, or null
   * @param device {@code --encoder-device}
   */
  record Paraphrase(
      List<ParaphraseItem> items,
      ParaphraseChecker.Settings settings,
      Path encoder,
      String device) {}

  /**
   * Where the corpus is and how to reach it.
   *
   * @param corpus {@code --corpus}
   * @param indexRoot where indexes of raw corpus paths are built
   * @param engine {@code local} or the name of a distributed engine
   * @param master the distributed engine's master, or null
   * @param indexMode with a distributed engine: build shards ({@code index}) instead of a scan
   * @param partitions corpus partitions of a distributed engine (0: its default)
   * @param shardsOut where shards go with {@code indexMode}, or null
   * @param allowPartial accept an index whose build was interrupted ({@code --allow-partial})
   * @param scheme the n-gram scheme and fields, parsed when first needed
   * @param explicitScheme the scheme options given on the command line ({@code --n}, ...): an
   *     existing index must agree with them
   */
  record Corpus(
      List<String> corpus,
      Path indexRoot,
      String engine,
      String master,
      boolean indexMode,
      int partitions,
      String shardsOut,
      boolean allowPartial,
      Supplier<BuildOptions> scheme,
      List<String> explicitScheme) {}

  private final Job job;
  private final Corpus corpus;

  DecontamRunner(Job job, Corpus corpus) {
    this.job = job;
    this.corpus = corpus;
  }

  int run() throws IOException {
    if (!corpus.engine().equals("local")) {
      return distributed();
    }
    return checkIndex(resolveIndex(), "local");
  }

  /** Checks against an index; {@code engine} built it ({@code local}, or a distributed engine). */
  private int checkIndex(Path indexDir, String engine) throws IOException {
    try (NgramIndex index = NgramIndex.open(indexDir)) {
      checkSchemeFlags(indexDir, index.state());
      IndexTrust trust =
          IndexTrust.check(indexDir, index.state(), index.numDocs(), corpus.allowPartial());
      if (trust.partial()) {
        job.log()
            .printf(
                Locale.ROOT,
                "warning: partial index (--allow-partial): %d corpus file(s) not fully indexed%n",
                trust.unfinished().size() + trust.truncated().size());
        trust.truncated().forEach(t -> job.log().println("warning: not read to the end: " + t));
      }
      job.log()
          .printf(
              Locale.ROOT,
              "checking %d items against %s (%d documents)%n",
              job.items().size(),
              indexDir,
              index.numDocs());
      ItemChecker checker = new ItemChecker(index, job.settings(), job.log());
      List<ItemMatch> matches = checker.check(job.items());
      ParaphraseChecker.Result para =
          job.paraphrase() == null ? null : paraphrase(indexDir, index.state());
      CorpusSource source =
          new CorpusSource.Index(
              engine,
              indexDir.toAbsolutePath().toString(),
              index.numDocs(),
              index.state().files.size(),
              index.shards(),
              index.scheme());
      Map<String, FileStats> perFile = new TreeMap<>();
      index.state().files.forEach(f -> perFile.put(f.path, f.stats));
      writeReport(
          source, trust.unfinished(), trust.truncated(), perFile, checker.skipped(), matches, para);
    }
    return 0;
  }

  /**
   * Builds or extends the window index in {@code <indexDir>/paraphrase} over the n-gram index's
   * finished corpus files (nothing is re-read when it is up to date), then runs the paraphrase
   * pass.
   */
  private ParaphraseChecker.Result paraphrase(Path indexDir, IndexState state) throws IOException {
    PrintWriter log = job.log();
    Path windows = indexDir.resolve(WindowIndexer.DIR);
    List<CorpusFile> files = new ArrayList<>();
    for (IndexState.FileEntry f : state.files) {
      if (!f.done()) {
        continue;
      }
      if (CorpusFiles.hasScheme(f.path)) {
        throw new IllegalArgumentException(
            "--paraphrase reads the corpus files into a window index on this machine, but "
                + f.path
                + " is not a local path; copy the corpus here and index it with evalh index"
                + " --paraphrase");
      }
      files.add(CorpusFile.local(Path.of(f.path)));
    }
    WindowOptions opts =
        WindowOptions.of(state.textFields, state.idField, job.paraphrase().settings().threads());
    log.println("window index " + windows + " over " + files.size() + " corpus file(s)");
    WindowIndexer.Report built = new WindowIndexer(windows, opts, log).build(files);
    IndexCommand.printWindows(log, windows, built);
    try (WindowIndex wi = WindowIndex.open(windows)) {
      return paraphrase(wi);
    }
  }

  /** The paraphrase pass over a window source, with the encoder if one is given. */
  private ParaphraseChecker.Result paraphrase(WindowSource source) throws IOException {
    PrintWriter log = job.log();
    Path encDir = job.paraphrase().encoder();
    SentenceEncoder enc;
    try {
      enc = encDir == null ? null : Encoders.open(encDir, job.paraphrase().device());
    } catch (IllegalArgumentException e) {
      throw new BadOption(e.getMessage(), e);
    }
    try (enc) {
      if (enc != null) {
        log.println("encoder: " + enc.describe());
      }
      log.printf(
          Locale.ROOT,
          "paraphrase pass: %d items against the %s%n",
          job.paraphrase().items().size(),
          source.describe());
      ParaphraseChecker.Result r =
          new ParaphraseChecker(source, job.paraphrase().settings(), enc)
              .check(job.paraphrase().items());
      log.printf(
          Locale.ROOT,
          "paraphrase pass: %d windows; %d suspect(s), estimated false-positive rate %.4f per item;"
              + " %.1f s%n",
          r.windows(),
          r.suspects(),
          r.estimatedFpr(),
          r.seconds());
      return r;
    }
  }

  /** A scheme option given on the command line that the index was not built with is an error. */
  private void checkSchemeFlags(Path indexDir, IndexState state) {
    if (corpus.explicitScheme().isEmpty()) {
      return;
    }
    BuildOptions want = corpus.scheme().get();
    NgramScheme have = state.scheme();
    List<String> wrong = new ArrayList<>();
    for (String flag : corpus.explicitScheme()) {
      switch (flag) {
        case "--n" -> {
          if (want.scheme().n() != have.n()) {
            wrong.add("--n " + want.scheme().n() + " (index: " + have.n() + ")");
          }
        }
        case "--stride" -> {
          if (want.scheme().stride() != have.stride()) {
            wrong.add("--stride " + want.scheme().stride() + " (index: " + have.stride() + ")");
          }
        }
        case "--normalization" -> {
          if (!want.scheme().normalization().equals(have.normalization())) {
            wrong.add(
                "--normalization "
                    + want.scheme().normalization().id()
                    + " (index: "
                    + have.normalization().id()
                    + ")");
          }
        }
        case "--field" -> {
          if (!want.textFields().equals(state.textFields)) {
            wrong.add("--field " + want.textFields() + " (index: " + state.textFields + ")");
          }
        }
        case "--id-field" -> {
          if (!java.util.Objects.equals(want.idField(), state.idField)) {
            wrong.add("--id-field " + want.idField() + " (index: " + state.idField + ")");
          }
        }
        default -> {
          // build-only options (--threads, --ram-buffer-mb) do not describe the index
        }
      }
    }
    if (!wrong.isEmpty()) {
      throw new BadOption(
          String.join(", ", wrong)
              + ": index "
              + indexDir
              + " was built otherwise, and an existing index is checked with the scheme it was"
              + " built with; drop these flags or index the corpus again with them",
          null);
    }
  }

  private int distributed() throws IOException {
    PrintWriter log = job.log();
    BuildOptions opts = corpus.scheme().get();
    try (DistributedEngine eng =
        DistributedEngines.start(corpus.engine(), corpus.master(), corpus.partitions(), log)) {
      if (corpus.indexMode()) {
        String target =
            corpus.shardsOut() != null
                ? corpus.shardsOut()
                : corpus
                    .indexRoot()
                    .resolve(indexName(opts) + "-shards")
                    .toAbsolutePath()
                    .toString();
        String manifest = eng.index(corpus.corpus(), opts, target, log);
        Path local = DecontamCommand.localPath(manifest);
        if (local == null) {
          log.println(
              "shards and manifest written to "
                  + manifest
                  + "; copy that directory to this machine and run: evalh decontam --corpus <dir>"
                  + " --task ...");
          return 0;
        }
        return checkIndex(local, eng.describe());
      }
      log.printf(
          Locale.ROOT, "scanning for %d items with %s%n", job.items().size(), eng.describe());
      ItemChecker.QueryPlan plan = ItemChecker.plan(job.items(), opts.scheme(), job.settings());
      DistributedEngine.CorpusScan scan =
          eng.scan(corpus.corpus(), opts, plan, job.settings().boilerplateCap(), log);
      if (scan.documents() == 0) {
        List<String> why = new ArrayList<>();
        scan.fileStats().forEach((f, st) -> why.add(f + ": " + st.summary()));
        throw new IllegalStateException(
            "empty corpus: the scan read no document with a non-empty "
                + String.join("/", opts.textFields())
                + " field from "
                + scan.files()
                + " corpus file(s), so every item would be called clean"
                + (why.isEmpty() ? "" : " (" + String.join("; ", why) + ")"));
      }
      List<String> truncated = new ArrayList<>();
      scan.fileStats()
          .forEach(
              (f, st) -> {
                if (st != null && st.truncated != null) {
                  truncated.add(f + ": " + st.truncated);
                }
              });
      if (!truncated.isEmpty() && !corpus.allowPartial()) {
        throw new IllegalStateException(
            "the scan is partial: " + IndexTrust.truncatedError(truncated, "--allow-partial"));
      }
      truncated.forEach(t -> log.println("warning: not read to the end: " + t));
      ItemChecker checker = new ItemChecker(scan.matches(), job.settings(), log);
      List<ItemMatch> matches = checker.check(job.items());
      CorpusSource source =
          new CorpusSource.Scan(
              eng.describe(),
              corpus.corpus(),
              scan.documents(),
              scan.files(),
              scan.partitions(),
              scan.tokens(),
              scan.bytes(),
              scan.seconds(),
              opts.scheme());
      ParaphraseChecker.Result para = null;
      if (job.paraphrase() != null) {
        WindowOptions wo =
            WindowOptions.of(
                opts.textFields(), opts.idField(), job.paraphrase().settings().threads());
        para = paraphrase(eng.paraphrase(corpus.corpus(), wo, log));
      }
      writeReport(source, List.of(), truncated, scan.fileStats(), checker.skipped(), matches, para);
      return 0;
    }
  }

  /** Writes decontam.json and decontam.md and prints the summary from the report's counts. */
  private void writeReport(
      CorpusSource source,
      List<String> unfinished,
      List<String> truncated,
      Map<String, FileStats> perFile,
      List<SkippedCheck> skipped,
      List<ItemMatch> matches,
      ParaphraseChecker.Result paraphrase)
      throws IOException {
    LinkedHashSet<String> tasks = new LinkedHashSet<>();
    job.items().forEach(i -> tasks.add(i.task()));
    DecontamReport report =
        DecontamReport.builder()
            .taskSpec(job.spec())
            .source(source)
            .settings(job.settings())
            .data(job.data())
            .partial(unfinished)
            .truncated(truncated)
            .fileStats(perFile)
            .skipped(skipped)
            .group(job.spec(), new ArrayList<>(tasks))
            .addAll(matches)
            .paraphrase(paraphrase)
            .build();
    report.write(job.outDir());
    DecontamReport.Summary s = report.summary();
    PrintWriter log = job.log();
    log.printf(
        Locale.ROOT,
        "%d items in %d task(s): %d dirty (%.2f%%), %d answer leaks, %d short%s; %.1f s%n",
        s.items(),
        tasks.size(),
        s.dirty(),
        s.percentDirty(),
        s.answerLeaks(),
        s.isShort(),
        paraphrase == null ? "" : ", " + paraphrase.suspects() + " paraphrase suspects",
        (System.nanoTime() - job.t0()) / 1e9);
    log.println(
        "wrote "
            + job.outDir().resolve(DecontamJson.FILE_NAME)
            + " and "
            + job.outDir().resolve("decontam.md"));
  }

  /** An existing index named by {@code --corpus}, else the one built under the index root. */
  private Path resolveIndex() throws IOException {
    List<String> paths = corpus.corpus();
    if (paths.size() == 1) {
      Path p = Path.of(paths.get(0));
      if (ShardManifest.locate(p) != null
          || (Files.isDirectory(p) && CorpusIndexer.existing(p) != null)) {
        return p;
      }
    }
    BuildOptions opts = corpus.scheme().get();
    List<Path> files;
    try {
      files = CorpusFiles.expand(paths);
    } catch (IllegalArgumentException e) {
      throw new BadOption(e.getMessage(), e);
    }
    Path dir = corpus.indexRoot().resolve(indexName(opts));
    PrintWriter log = job.log();
    log.println(
        (Files.isDirectory(dir) ? "updating index " : "building index ")
            + dir
            + " over "
            + files.size()
            + " corpus file(s)");
    IndexCommand.print(log, dir, new CorpusIndexer(dir, opts, log).build(files));
    return dir;
  }

  /** {@code <first corpus name>-<hash of the corpus paths and scheme>}. */
  private String indexName(BuildOptions opts) {
    List<String> abs =
        corpus.corpus().stream()
            .map(c -> Path.of(c).toAbsolutePath().normalize().toString())
            .sorted()
            .toList();
    String key =
        String.join("\n", abs)
            + "\n"
            + opts.scheme()
            + "\n"
            + opts.textFields()
            + "\n"
            + opts.idField();
    String first =
        Path.of(abs.get(0)).getFileName() == null
            ? "corpus"
            : Path.of(abs.get(0)).getFileName().toString();
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return DecontamCommand.safe(first) + "-" + HexFormat.of().formatHex(h, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
