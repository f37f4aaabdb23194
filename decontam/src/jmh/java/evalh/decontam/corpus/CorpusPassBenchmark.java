package evalh.decontam.corpus;

import evalh.core.text.PythonText;
import evalh.decontam.analysis.NgramAnalyzer;
import evalh.decontam.analysis.NgramTerms;
import evalh.decontam.bench.BenchCorpus;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.scan.LongProbeSet;
import evalh.decontam.scan.NgramScan;
import evalh.decontam.text.JanitorNormalizer;
import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.TokenBuffer;
import evalh.decontam.text.TokenHashes;
import evalh.decontam.text.Utf8Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.internal.hppc.LongHashSet;
import org.apache.lucene.util.IOUtils;
import org.apache.parquet.io.InputFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stages of the decontamination corpus pass, each over the same {@value #BYTES} bytes of
 * bench-decontam's JSONL corpus, so every score is in <b>corpus bytes per ns</b> (ops/ns with one
 * op per byte), comparable with the plain byte loops. Old (String) and new (byte) paths side by
 * side: the JSONL reader (Jackson vs {@link JsonFields}), the word splitter (Python whitespace on
 * chars vs the byte class table), the normaliser with splitting and token hashing ({@link
 * JanitorNormalizer} on decoded strings vs {@link Utf8Tokenizer} on the UTF-8 bodies), the n-gram
 * hasher, the item-set probe (Lucene's LongHashSet vs {@link LongProbeSet}) and the whole scan pass
 * per document (the old analyzer path vs {@link NgramScan}). Run with {@code scripts/jmh.sh
 * --module decontam}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CorpusPassBenchmark.BYTES)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CorpusPassBenchmark {
  static final int BYTES = 8 << 20;
  private static final NgramScheme SCHEME = NgramScheme.defaults();

  private byte[] corpus;
  private CorpusFile file;
  private List<String> texts;
  private int[] bodyStart;
  private int[] bodyEnd;
  private long[][] docTokens;
  private long[] ngrams;
  private long[] itemHashes;
  private LongHashSet itemSet;
  private LongProbeSet itemProbe;
  private NgramScan scan;

  @Setup
  public void setUp() throws IOException {
    Path dir = Files.createTempDirectory("evalh-jmh");
    try {
      BenchCorpus c = BenchCorpus.generate(dir, BYTES + (1 << 20), 14042, 7);
      byte[] all = Files.readAllBytes(c.shards().get(0));
      int cut = BYTES;
      while (all[cut - 1] != '\n') {
        cut--;
      }
      corpus = Arrays.copyOf(all, BYTES);
      Arrays.fill(corpus, cut, BYTES, (byte) '\n'); // blank lines up to exactly BYTES
      itemHashes =
          ItemChecker.plan(c.items(), SCHEME, new CheckSettings(10, 3, 100, true, 1)).ngramHashes();
    } finally {
      IOUtils.rm(dir);
    }
    file = memoryFile(corpus);
    itemSet = new LongHashSet(itemHashes.length);
    itemSet.addAll(itemHashes);
    itemProbe = new LongProbeSet(itemHashes);
    // built once, as the old path's item set: a scan reuses it for every file
    scan = new NgramScan(SCHEME, itemHashes);
    texts = new ArrayList<>();
    new JsonlCorpusReader(List.of("text"), "id")
        .read(
            file,
            (CorpusDoc d) -> {
              texts.add(d.text());
              return true;
            },
            new FileStats());
    JsonFields fields = new JsonFields(List.of("text"), "id");
    List<int[]> bodies = new ArrayList<>();
    JsonlCorpusReader.LineSplitter lines =
        new JsonlCorpusReader.LineSplitter(new ByteArrayInputStream(corpus));
    long base = 0;
    while (lines.next()) {
      if (lines.length() > 0 && fields.scan(lines.bytes(), lines.length())) {
        int off = (int) lines.offset();
        bodies.add(new int[] {off + fields.textStart[0], off + fields.textEnd[0]});
      }
      base++;
    }
    bodyStart = bodies.stream().mapToInt(a -> a[0]).toArray();
    bodyEnd = bodies.stream().mapToInt(a -> a[1]).toArray();
    Utf8Tokenizer tok = new Utf8Tokenizer(SCHEME.normalization());
    TokenHashes th = new TokenHashes();
    docTokens = new long[bodyStart.length][];
    List<Long> all = new ArrayList<>();
    for (int i = 0; i < bodyStart.length; i++) {
      th.clear();
      tok.tokenize(corpus, bodyStart[i], bodyEnd[i], th);
      docTokens[i] = Arrays.copyOf(th.array(), th.size());
      for (int p = 0; p + SCHEME.n() <= th.size(); p++) {
        all.add(NgramHasher.ngramHash(docTokens[i], p, SCHEME.n()));
      }
    }
    ngrams = all.stream().mapToLong(Long::longValue).toArray();
    if (base == 0 || texts.size() != bodyStart.length) {
      throw new IllegalStateException("the fast path should take every line of this corpus");
    }
  }

  private static CorpusFile memoryFile(byte[] bytes) {
    return new CorpusFile() {
      @Override
      public String path() {
        return "/memory/corpus.jsonl";
      }

      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public long mtimeMs() {
        return 0;
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(bytes);
      }

      @Override
      public InputFile parquet() {
        throw new UnsupportedOperationException();
      }
    };
  }

  /** Baseline: a plain loop over every byte (summing them). */
  @Benchmark
  public long byteLoopSum() {
    long s = 0;
    for (byte b : corpus) {
      s += b;
    }
    return s;
  }

  /** Baseline: a plain loop counting newlines. */
  @Benchmark
  public int byteLoopNewlines() {
    int n = 0;
    for (byte b : corpus) {
      if (b == '\n') {
        n++;
      }
    }
    return n;
  }

  /** Line splitting (the reader's first step, both paths). */
  @Benchmark
  public long lineSplitter() throws IOException {
    JsonlCorpusReader.LineSplitter lines =
        new JsonlCorpusReader.LineSplitter(new ByteArrayInputStream(corpus), 1 << 20);
    long n = 0;
    while (lines.next()) {
      n += lines.length();
    }
    return n;
  }

  /** JSONL reader, old: lines, Jackson parse, UTF-8 decoding to a String per document. */
  @Benchmark
  public long readerJackson() throws IOException {
    FileStats stats = new FileStats();
    new JsonlCorpusReader(List.of("text"), "id").read(file, d -> true, stats);
    return stats.textChars;
  }

  /** JSONL reader, new: lines and the byte ranges of the text and id fields (validated). */
  @Benchmark
  public int readerFields() throws IOException {
    JsonFields fields = new JsonFields(List.of("text"), "id");
    JsonlCorpusReader.LineSplitter lines =
        new JsonlCorpusReader.LineSplitter(new ByteArrayInputStream(corpus), 1 << 20);
    int n = 0;
    while (lines.next()) {
      if (fields.scan(lines.bytes(), lines.length())) {
        n += fields.textEnd[0] - fields.textStart[0];
      }
    }
    return n;
  }

  /** Word splitter, old: Python whitespace per char of the decoded texts. */
  @Benchmark
  public int splitterChars() {
    int tokens = 0;
    for (String t : texts) {
      boolean in = false;
      for (int i = 0; i < t.length(); i++) {
        boolean space = PythonText.isSpace(t.charAt(i));
        tokens += !space && !in ? 1 : 0;
        in = !space;
      }
    }
    return tokens;
  }

  /** Normaliser + splitter + token hashes, old: {@link JanitorNormalizer} on decoded texts. */
  @Benchmark
  public int normalizerChars() {
    JanitorNormalizer norm = new JanitorNormalizer();
    TokenBuffer buf = new TokenBuffer();
    int tokens = 0;
    for (String t : texts) {
      norm.tokenize(t, buf);
      tokens += buf.size();
    }
    return tokens;
  }

  /** Normaliser + splitter + token hashes, new: {@link Utf8Tokenizer} on the UTF-8 bodies. */
  @Benchmark
  public int normalizerBytes() {
    Utf8Tokenizer tok = new Utf8Tokenizer(SCHEME.normalization());
    TokenHashes th = new TokenHashes();
    int tokens = 0;
    for (int i = 0; i < bodyStart.length; i++) {
      th.clear();
      tok.tokenize(corpus, bodyStart[i], bodyEnd[i], th);
      tokens += th.size();
    }
    return tokens;
  }

  /** n-gram hasher: every 13-gram of every document, from token hashes. */
  @Benchmark
  public long ngramHasher() {
    long x = 0;
    int n = SCHEME.n();
    for (long[] t : docTokens) {
      for (int p = 0; p + n <= t.length; p++) {
        x ^= NgramHasher.ngramHash(t, p, n);
      }
    }
    return x;
  }

  /** Item-set probe, old: Lucene's LongHashSet, every corpus n-gram against MMLU's n-grams. */
  @Benchmark
  public int probeLongHashSet() {
    int hits = 0;
    for (long h : ngrams) {
      hits += itemSet.contains(h) ? 1 : 0;
    }
    return hits;
  }

  /** Item-set probe, new: {@link LongProbeSet} (Bloom prefilter + open addressing). */
  @Benchmark
  public int probeBloomTable() {
    int hits = 0;
    for (long h : ngrams) {
      hits += itemProbe.contains(h) ? 1 : 0;
    }
    return hits;
  }

  /** The whole scan pass, old: Jackson, the index analyzer's token stream, LongHashSet. */
  @Benchmark
  public long scanOld() throws IOException {
    NgramAnalyzer analyzer = NgramAnalyzer.forIndex(SCHEME);
    LongHashSet inDoc = new LongHashSet();
    long[] matched = new long[1];
    new JsonlCorpusReader(List.of("text"), "id")
        .read(
            file,
            (CorpusDoc d) -> {
              inDoc.clear();
              try (TokenStream ts = analyzer.tokenStream(NgramTerms.FIELD, d.text())) {
                TermToBytesRefAttribute term = ts.addAttribute(TermToBytesRefAttribute.class);
                ts.reset();
                while (ts.incrementToken()) {
                  long h = NgramTerms.decode(term.getBytesRef());
                  if (itemSet.contains(h)) {
                    inDoc.add(h);
                  }
                }
                ts.end();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              matched[0] += inDoc.size();
              return true;
            },
            new FileStats());
    return matched[0];
  }

  /** The whole scan pass, new: {@link NgramScan} (what the local scan and Spark run). */
  @Benchmark
  public long scanNew() throws IOException {
    long[] matched = new long[1];
    scan.scanFile(file, List.of("text"), "id", null, (doc, h, k) -> matched[0] += k);
    return matched[0];
  }
}
