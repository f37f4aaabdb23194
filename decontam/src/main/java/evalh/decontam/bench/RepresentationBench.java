package evalh.decontam.bench;

import evalh.decontam.analysis.NgramAnalyzer;
import evalh.decontam.analysis.NgramTerms;
import evalh.decontam.analysis.TermForm;
import evalh.decontam.check.CheckItem;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.corpus.JsonlCorpusReader;
import evalh.decontam.text.NgramScheme;
import evalh.decontam.text.TextNormalizer;
import evalh.decontam.text.TokenBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Measures candidate n-gram term representations on the same corpus sample (one thread, one
 * force-merged segment each so sizes compare): hashed vs text shingles, docs-only vs positions,
 * stride 1 vs 4. Reports index bytes per corpus token, build time and term lookup time.
 */
public final class RepresentationBench {
  /** One candidate. */
  public record Variant(String name, TermForm form, IndexOptions postings, int stride) {}

  /** One measurement. */
  public record Result(
      String name,
      long bytes,
      long tokens,
      double bytesPerToken,
      double buildSeconds,
      double lookupMicros,
      long lookups) {}

  public static List<Variant> variants() {
    return List.of(
        new Variant("hash64, docs only, no norms", TermForm.HASH64, IndexOptions.DOCS, 1),
        new Variant("text shingles, docs only, no norms", TermForm.TEXT, IndexOptions.DOCS, 1),
        new Variant(
            "hash64, docs+freqs+positions",
            TermForm.HASH64,
            IndexOptions.DOCS_AND_FREQS_AND_POSITIONS,
            1),
        new Variant("hash64, docs only, stride 4", TermForm.HASH64, IndexOptions.DOCS, 4));
  }

  public static Result run(
      Variant v, NgramScheme base, Path sample, long maxBytes, List<CheckItem> items, Path dir)
      throws IOException {
    NgramScheme scheme = new NgramScheme(base.normalization(), base.n(), v.stride());
    FieldType ft = new FieldType();
    ft.setTokenized(true);
    ft.setIndexOptions(v.postings());
    ft.setOmitNorms(true);
    ft.freeze();
    IndexWriterConfig cfg = new IndexWriterConfig(new NgramAnalyzer(scheme, v.form()));
    cfg.setRAMBufferSizeMB(256);
    cfg.setUseCompoundFile(false);
    long tokensBefore = NgramAnalyzer.tokensAnalyzedByThisThread();
    long t0 = System.nanoTime();
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, cfg)) {
      long[] seen = new long[1];
      new JsonlCorpusReader(List.of("text"), "id")
          .read(
              sample,
              doc -> {
                Document ld = new Document();
                ld.add(new Field(NgramTerms.FIELD, doc.text(), ft));
                w.addDocument(ld);
                seen[0] += doc.text().length();
                return seen[0] < maxBytes;
              },
              new FileStats());
      w.forceMerge(1);
      w.commit();
    }
    double build = (System.nanoTime() - t0) / 1e9;
    long tokens = NgramAnalyzer.tokensAnalyzedByThisThread() - tokensBefore;
    long bytes;
    try (Stream<Path> s = Files.list(dir)) {
      bytes = s.mapToLong(p -> p.toFile().length()).sum();
    }
    // lookups: every n-gram of every item, as the checker does
    List<BytesRef> terms = new ArrayList<>();
    TextNormalizer norm = scheme.normalization().newNormalizer();
    TokenBuffer buf = new TokenBuffer(v.form() == TermForm.TEXT);
    for (CheckItem it : items) {
      norm.tokenize(it.text(), buf);
      for (int p = 0; p + scheme.n() <= buf.size(); p++) {
        if (v.form() == TermForm.HASH64) {
          terms.add(
              NgramTerms.term(
                  evalh.decontam.text.NgramHasher.ngramHash(buf.hashes(), p, scheme.n())));
        } else {
          terms.add(
              new BytesRef(
                  String.join(" ", buf.texts().subList(p, p + scheme.n()))
                      .getBytes(StandardCharsets.UTF_8)));
        }
      }
    }
    long found = 0;
    long t1 = System.nanoTime();
    try (FSDirectory d = FSDirectory.open(dir);
        DirectoryReader r = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : r.leaves()) {
        Terms t = leaf.reader().terms(NgramTerms.FIELD);
        TermsEnum te = t.iterator();
        for (BytesRef b : terms) {
          if (te.seekExact(b)) {
            found += te.docFreq();
          }
        }
      }
    }
    double lookup = (System.nanoTime() - t1) / 1e3 / Math.max(1, terms.size());
    if (found < 0) {
      throw new IllegalStateException();
    }
    return new Result(
        v.name(), bytes, tokens, (double) bytes / Math.max(1, tokens), build, lookup, terms.size());
  }
}
