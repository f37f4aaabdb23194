package evalh.decontam.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import evalh.core.io.AtomicFiles;
import evalh.decontam.check.CheckItem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A generated benchmark corpus: plain JSONL shards of synthetic prose, plus MMLU-sized items (a
 * question of 15-70 words and four short choices) of which a known subset is planted verbatim into
 * corpus documents.
 */
public final class BenchCorpus {
  static final long SHARD_BYTES = 128L << 20;

  private final List<Path> shards;
  private final List<CheckItem> items;
  private final List<Integer> planted;
  private final long bytes;

  private BenchCorpus(List<Path> shards, List<CheckItem> items, List<Integer> planted, long bytes) {
    this.shards = shards;
    this.items = items;
    this.planted = planted;
    this.bytes = bytes;
  }

  public List<Path> shards() {
    return shards;
  }

  public List<CheckItem> items() {
    return items;
  }

  /** Indices of the items planted in the corpus. */
  public List<Integer> planted() {
    return planted;
  }

  public long bytes() {
    return bytes;
  }

  /** Generates items; every 50th item is planted. */
  static List<CheckItem> items(SyntheticText words, int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<CheckItem> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String q = words.prose(r, 15 + r.nextInt(56)).strip();
      List<String> choices = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        choices.add(String.join(" ", words.words(r, 1 + r.nextInt(8))));
      }
      out.add(CheckItem.multipleChoice("bench-" + (i % 57), i / 57, q, choices, r.nextInt(4)));
    }
    return out;
  }

  /**
   * Writes (or reuses, when already complete) a corpus of about {@code targetBytes} in {@code dir}.
   */
  public static BenchCorpus generate(Path dir, long targetBytes, int itemCount, long seed)
      throws IOException {
    Files.createDirectories(dir);
    SyntheticText words = new SyntheticText(100_000, "", seed);
    List<CheckItem> items = items(words, itemCount, seed + 1);
    List<Integer> planted = new ArrayList<>();
    for (int i = 0; i < items.size(); i += 50) {
      planted.add(i);
    }
    Path done = dir.resolve("COMPLETE-" + targetBytes + "-" + itemCount + "-" + seed);
    int nShards = (int) Math.max(1, (targetBytes + SHARD_BYTES - 1) / SHARD_BYTES);
    List<Path> shards = new ArrayList<>();
    for (int s = 0; s < nShards; s++) {
      shards.add(dir.resolve(String.format(Locale.ROOT, "shard-%03d.jsonl", s)));
    }
    if (!Files.exists(done)) {
      Map<Integer, List<Integer>> plantAt = new HashMap<>();
      SplittableRandom pr = new SplittableRandom(seed + 2);
      for (int p : planted) {
        plantAt.computeIfAbsent(pr.nextInt(nShards), k -> new ArrayList<>()).add(p);
      }
      JsonFactory jf = new JsonFactory();
      long perShard = targetBytes / nShards;
      for (int s = 0; s < nShards; s++) {
        SplittableRandom r = new SplittableRandom(seed * 31 + s);
        List<Integer> toPlant = plantAt.getOrDefault(s, List.of());
        int shard = s;
        AtomicFiles.write(
            shards.get(s),
            os -> {
              try (CountingStream cs = new CountingStream(os);
                  JsonGenerator g = jf.createGenerator(cs)) {
                long doc = 0;
                int pi = 0;
                while (cs.count < perShard) {
                  String text = words.prose(r, 100 + r.nextInt(1400));
                  if (pi < toPlant.size() && r.nextInt(20) == 0) {
                    CheckItem it = items.get(toPlant.get(pi++));
                    text = text + "\n" + it.text() + "\n" + words.prose(r, 50);
                  }
                  g.writeStartObject();
                  g.writeStringField("id", "s" + shard + "-" + doc++);
                  g.writeStringField("text", text);
                  g.writeEndObject();
                  g.writeRaw('\n');
                  g.flush();
                }
                while (pi < toPlant.size()) {
                  CheckItem it = items.get(toPlant.get(pi++));
                  g.writeStartObject();
                  g.writeStringField("id", "s" + shard + "-" + doc++);
                  g.writeStringField("text", words.prose(r, 80) + "\n" + it.text());
                  g.writeEndObject();
                  g.writeRaw('\n');
                }
              }
            });
      }
      Files.writeString(done, "ok\n");
    }
    long bytes = 0;
    for (Path p : shards) {
      bytes += Files.size(p);
    }
    return new BenchCorpus(shards, items, planted, bytes);
  }

  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() {
      // the generator flushes per document to update the count; the buffer reaches the file on
      // close
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
