package evalh.decontam.scan;

import evalh.decontam.check.CorpusMatches;
import evalh.decontam.check.DocumentTexts;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ShortItemScan;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.Provenance;
import evalh.decontam.text.NgramScheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scan on this machine: every document of the local corpus files is read once by {@link
 * NgramScan} (the code each Spark partition runs) and the postings of the items' n-grams are kept
 * in memory. Answers {@link ItemChecker#check} exactly as an index of the same scheme would; the
 * texts of matched documents are re-read through their provenance, as for an index.
 */
public final class LocalScan implements CorpusMatches {
  private final NgramScheme scheme;
  private final BuildOptions options;
  private final int cap;
  private final Map<Long, ScanPosting<Integer>> postings = new HashMap<>();
  private final List<Provenance> docs = new ArrayList<>();
  private final ShortItemScan shortItems;
  private final List<FileStats> stats = new ArrayList<>();

  private LocalScan(BuildOptions options, ShortItemScan shortItems, int cap) {
    this.scheme = options.scheme();
    this.options = options;
    this.cap = cap;
    this.shortItems = shortItems;
  }

  /**
   * Scans {@code files} (in order) for the plan's n-grams and short items.
   *
   * @param boilerplateCap documents kept per n-gram (beyond it only the count is kept)
   */
  public static LocalScan run(
      List<Path> files, BuildOptions options, ItemChecker.QueryPlan plan, int boilerplateCap)
      throws IOException {
    LocalScan s = new LocalScan(options, plan.shortItems().emptyCopy(), boilerplateCap);
    NgramScan scan = new NgramScan(options.scheme(), plan.ngramHashes());
    for (int ord = 0; ord < files.size(); ord++) {
      CorpusFile file = CorpusFile.local(files.get(ord));
      int fileOrd = ord;
      s.stats.add(
          scan.scanFile(
              file,
              options.textFields(),
              options.idField(),
              s.shortItems,
              (doc, hashes, count) -> {
                int number = s.docs.size();
                s.docs.add(
                    new Provenance(
                        number, fileOrd, file.path(), doc.position(), doc.byteOffset(), doc.id()));
                for (int i = 0; i < count; i++) {
                  s.postings
                      .computeIfAbsent(hashes[i], h -> new ScanPosting<>())
                      .add(number, s.cap);
                }
              }));
    }
    return s;
  }

  /** Per file, what the scan read (documents, tokens, bad records). */
  public List<FileStats> fileStats() {
    return List.copyOf(stats);
  }

  /** Every n-gram of every document was probed: counts are exact without verification. */
  @Override
  public boolean windowMinimaOnly() {
    return false;
  }

  @Override
  public NgramScheme scheme() {
    return scheme;
  }

  @Override
  public Postings postings() {
    return ScanPosting.postings(postings, cap, Integer::intValue, docs::get);
  }

  @Override
  public void fetchTexts(Map<String, TreeMap<Long, Long>> wanted, TextSink sink, PrintWriter log)
      throws IOException {
    for (Map.Entry<String, TreeMap<Long, Long>> e : wanted.entrySet()) {
      String file = e.getKey();
      DocumentTexts.read(
          CorpusFile.local(Path.of(file)),
          e.getValue(),
          options.textFields(),
          options.idField(),
          (pos, text) -> sink.accept(file, pos, text));
    }
  }

  @Override
  public void scanShortItems(ShortItemScan scan, PrintWriter log) {
    scan.merge(shortItems);
  }
}
