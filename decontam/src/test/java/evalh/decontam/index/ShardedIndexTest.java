package evalh.decontam.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.decontam.check.CheckItem;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ItemMatch;
import evalh.decontam.report.DecontamReport;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.Normalization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards built over disjoint file sets and read through a manifest answer exactly as one index over
 * all files: same per-item facts, same top documents in the same order, same provenance.
 */
class ShardedIndexTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] WORDS = {
    "cell", "acid", "energy", "is", "the", "of", "atom", "mass", "law", "force", "gene", "wave"
  };

  @TempDir Path tmp;

  private static String text(SplittableRandom r, int words) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      sb.append(i == 0 ? "" : " ")
          .append(WORDS[(int) Math.min(11, Math.abs(r.nextGaussian()) * 4)]);
    }
    return sb.toString();
  }

  @Test
  void shardsReadTogetherEqualOneIndex() throws Exception {
    SplittableRandom r = new SplittableRandom(7);
    List<String> docs = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    Files.createDirectories(tmp.resolve("corpus"));
    for (int f = 0; f < 6; f++) {
      StringBuilder sb = new StringBuilder();
      for (int d = 0; d < 80; d++) {
        String t = text(r, 5 + r.nextInt(40));
        docs.add(t);
        sb.append(JSON.writeValueAsString(java.util.Map.of("id", f + "-" + d, "text", t)))
            .append('\n');
      }
      Path p = tmp.resolve("corpus").resolve("part-" + f + ".jsonl");
      Files.writeString(p, sb, StandardCharsets.UTF_8);
      files.add(p.toAbsolutePath());
    }
    // items copy spans of documents (so many documents tie on votes) or are random
    List<CheckItem> items = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      String t = i % 2 == 0 ? docs.get(r.nextInt(docs.size())) : text(r, 3 + r.nextInt(12));
      items.add(new CheckItem("t", i, t, WORDS[r.nextInt(WORDS.length)]));
    }
    BuildOptions opts =
        new BuildOptions(new NgramScheme(Normalization.JANITOR, 4, 1), List.of("text"), "id", 2, 1);
    PrintWriter quiet = new PrintWriter(new StringWriter());
    new CorpusIndexer(tmp.resolve("one"), opts, quiet).build(files);
    ShardManifest m = new ShardManifest();
    for (int s = 0; s < 3; s++) {
      // shards hold interleaved files, so document numbering differs from the single index
      new CorpusIndexer(tmp.resolve("sharded/shard-" + s), opts, quiet)
          .build(List.of(files.get(s), files.get(s + 3)));
      m.shards.add("shard-" + s);
    }
    Path manifest = m.write(tmp.resolve("sharded"));

    CheckSettings settings = new CheckSettings(3, 5, 50, true, 2);
    List<String> one = check(tmp.resolve("one"), items, settings);
    List<String> sharded = check(manifest, items, settings);
    List<String> viaDir = check(tmp.resolve("sharded"), items, settings);
    assertThat(sharded).isEqualTo(one);
    assertThat(viaDir).isEqualTo(one);
    // the comparison is not vacuous: dirty items, multi-document ties and short items occur
    assertThat(one.stream().filter(s -> s.contains("\"dirty\":true")).count()).isGreaterThan(50);
    assertThat(one.stream().filter(s -> s.contains("\"short\":true")).count()).isPositive();

    try (NgramIndex idx = NgramIndex.open(manifest)) {
      assertThat(idx.shards()).isEqualTo(3);
      assertThat(idx.numDocs()).isEqualTo(docs.size());
      assertThat(idx.state().files).hasSize(6);
    }
  }

  @Test
  void aFileInTwoShardsIsRefused() throws Exception {
    Path f = tmp.resolve("a.jsonl");
    Files.writeString(f, "{\"text\":\"the cell is the unit of life\"}\n");
    BuildOptions opts =
        new BuildOptions(new NgramScheme(Normalization.JANITOR, 3, 1), List.of("text"), "id", 1, 1);
    PrintWriter quiet = new PrintWriter(new StringWriter());
    ShardManifest m = new ShardManifest();
    for (String s : List.of("s0", "s1")) {
      new CorpusIndexer(tmp.resolve("x").resolve(s), opts, quiet).build(List.of(f));
      m.shards.add(s);
    }
    Path manifest = m.write(tmp.resolve("x"));
    assertThatThrownBy(() -> NgramIndex.open(manifest))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is in two shards");
  }

  private static List<String> check(Path index, List<CheckItem> items, CheckSettings settings)
      throws IOException {
    try (NgramIndex idx = NgramIndex.open(index)) {
      List<ItemMatch> ms =
          new ItemChecker(idx, settings, new PrintWriter(new StringWriter())).check(items);
      List<String> out = new ArrayList<>();
      for (ItemMatch mm : ms) {
        out.add(JSON.writeValueAsString(DecontamReport.item(mm)));
      }
      return out;
    }
  }
}
