package evalh.decontam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.decontam.analysis.NgramHashStream;
import evalh.decontam.check.CheckItem;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.corpus.CorpusFiles;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.CorpusIndexer;
import evalh.decontam.index.NgramIndex;
import evalh.decontam.report.DecontamReport;
import evalh.decontam.scan.LocalScan;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The local scan and the winnowed index against the stride-1 index (itself tested against the naive
 * oracle): per-item results, serialised as in decontam.json, must be identical. The scan on the
 * generated corpus (n-grams recurring in many documents, boilerplate, Unicode whitespace, gzip and
 * zstd files, short items); the winnowed index on the planted corpus, whose planted runs are all at
 * least 16 tokens, the guarantee of n = 13 with window 4.
 */
class ScanAndWinnowTest {
  @TempDir Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<String> itemJson(List<ItemMatch> ms) throws IOException {
    List<String> out = new ArrayList<>();
    for (ItemMatch m : ms) {
      out.add(JSON.writeValueAsString(DecontamReport.item(m)));
    }
    return out;
  }

  private List<String> viaIndex(Path corpus, NgramScheme scheme, List<CheckItem> items, String name)
      throws IOException {
    Path dir = tmp.resolve(name);
    PrintWriter log = new PrintWriter(new StringWriter());
    new CorpusIndexer(dir, new BuildOptions(scheme, List.of("text"), "id", 2, 64), log)
        .build(CorpusFiles.expand(List.of(corpus.toString())));
    try (NgramIndex index = NgramIndex.open(dir)) {
      return itemJson(new ItemChecker(index, CheckSettings.defaults(), log).check(items));
    }
  }

  private static List<String> viaScan(Path corpus, NgramScheme scheme, List<CheckItem> items)
      throws IOException {
    BuildOptions opts = new BuildOptions(scheme, List.of("text"), "id", 1, 64);
    CheckSettings settings = CheckSettings.defaults();
    LocalScan scan =
        LocalScan.run(
            CorpusFiles.expand(List.of(corpus.toString())),
            opts,
            ItemChecker.plan(items, scheme, settings),
            settings.boilerplateCap());
    return itemJson(
        new ItemChecker(scan, settings, new PrintWriter(new StringWriter())).check(items));
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @ParameterizedTest
  @EnumSource(Normalization.class)
  void localScanEqualsTheStride1IndexOnTheGeneratedCorpus(Normalization norm) throws IOException {
    GeneratedCorpus gc = GeneratedCorpus.generate(tmp.resolve("corpus"), 13);
    NgramScheme scheme = new NgramScheme(norm, 13, 1);
    List<String> index = viaIndex(gc.dir(), scheme, gc.items(), "index");
    List<String> scan = viaScan(gc.dir(), scheme, gc.items());
    assertThat(index.stream().filter(s -> s.contains("\"dirty\":true")).count())
        .as("the corpus has contaminated items")
        .isGreaterThan(10);
    assertThat(scan).containsExactlyElementsOf(index);
  }

  @Test
  void winnowedIndexAndScanEqualTheStride1IndexOnThePlantedCorpus() throws IOException {
    PlantedCorpus pc = PlantedCorpus.generate(tmp.resolve("corpus"));
    NgramScheme every = new NgramScheme(Normalization.JANITOR, 13, 1);
    NgramScheme winnowed = new NgramScheme(Normalization.JANITOR, 13, 1, 4);
    assertThat(winnowed.guaranteedRun()).isEqualTo(16);
    List<String> stride1 = viaIndex(pc.dir(), every, pc.items(), "every");
    List<String> minima = viaIndex(pc.dir(), winnowed, pc.items(), "winnowed");
    assertThat(stride1.stream().filter(s -> s.contains("\"dirty\":true")).count())
        .isGreaterThan(10);
    assertThat(minima).containsExactlyElementsOf(stride1);
    assertThat(viaScan(pc.dir(), every, pc.items())).containsExactlyElementsOf(stride1);
    assertThat(size(tmp.resolve("winnowed"))).isLessThan(size(tmp.resolve("every")));
  }

  /** The naive definition: per window of w, the rightmost minimum; each position kept once. */
  private static List<Long> naiveWinnow(long[] h, int w) {
    List<Long> out = new ArrayList<>();
    if (h.length == 0) {
      return out;
    }
    if (h.length <= w) {
      int sel = 0;
      for (int j = 0; j < h.length; j++) {
        sel = h[j] <= h[sel] ? j : sel;
      }
      out.add(h[sel]);
      return out;
    }
    int last = -1;
    for (int i = 0; i + w <= h.length; i++) {
      int sel = i;
      for (int j = i; j < i + w; j++) {
        sel = h[j] <= h[sel] ? j : sel;
      }
      if (sel != last) {
        out.add(h[sel]);
        last = sel;
      }
    }
    return out;
  }

  @Test
  void winnowingKeepsEachWindowsMinimumAndFindsEverySharedRunOfNPlusWMinus1() {
    SplittableRandom r = new SplittableRandom(5);
    long kept = 0;
    long total = 0;
    for (int t = 0; t < 3000; t++) {
      int w = r.nextInt(1, 12);
      long[] h = new long[r.nextInt(0, 200)];
      for (int i = 0; i < h.length; i++) {
        h[i] = r.nextInt(4) == 0 ? r.nextLong(8) : r.nextLong(); // ties too
      }
      long[] copy = h.clone();
      int k = NgramHashStream.winnow(copy, h.length, w);
      List<Long> got = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        got.add(copy[i]);
      }
      assertThat(got).as("w=%d %s", w, java.util.Arrays.toString(h)).isEqualTo(naiveWinnow(h, w));
      // any w consecutive hashes of h (a shared run of n + w - 1 tokens) hold a kept hash
      Set<Long> set = new HashSet<>(got);
      for (int i = 0; i + w <= h.length; i++) {
        boolean found = false;
        for (int j = i; j < i + w; j++) {
          found |= set.contains(h[j]);
        }
        assertThat(found).isTrue();
      }
    }
    for (int t = 0; t < 200; t++) {
      long[] h = r.longs(1000).toArray();
      kept += NgramHashStream.winnow(h, h.length, 8);
      total += h.length;
    }
    // about 2 / (w + 1) of random hashes are kept: 0.22 for w = 8
    assertThat((double) kept / total).isBetween(0.18, 0.27);
  }
}
