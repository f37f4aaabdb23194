package evalh.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import evalh.decontam.check.CorpusMatches;
import evalh.decontam.check.DocumentTexts;
import evalh.decontam.check.ShortItemScan;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.index.Provenance;
import evalh.decontam.scan.ScanPosting;
import evalh.decontam.text.NgramScheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * {@link CorpusMatches} answered from a {@link ScanJob}'s reduced postings: document numbers are
 * given to the matched documents on the driver; document texts are fetched by a second, small Spark
 * job over only the files that hold the wanted documents.
 */
final class ScanMatches implements CorpusMatches {
  private final NgramScheme scheme;
  private final Map<Long, ScanPosting<ScanJob.DocRef>> postings;
  private final int cap;
  private final List<ShortItemScan> shortPartials;
  private final List<ScanJob.DocRef> docs = new ArrayList<>();
  private final Map<ScanJob.DocRef, Integer> numbers = new HashMap<>();
  private final Map<String, Integer> fileOrds = new HashMap<>();
  private final Map<String, String> uriOf = new HashMap<>();
  private final JavaSparkContext jsc;
  private final BuildOptions options;
  private final SerializableConf conf;
  private final List<Unread> unread = new ArrayList<>();

  ScanMatches(
      JavaSparkContext jsc,
      BuildOptions options,
      SerializableConf conf,
      ScanJob.Result result,
      int cap) {
    this.jsc = jsc;
    this.options = options;
    this.conf = conf;
    this.scheme = options.scheme();
    this.postings = result.postings();
    this.cap = cap;
    this.shortPartials = result.shortItems();
    for (ScanJob.FileReport f : result.files()) {
      String id = HadoopCorpusFile.identity(f.uri());
      uriOf.put(id, f.uri());
      fileOrds.put(id, fileOrds.size());
    }
    // document numbers in any order: the checker ranks equal votes by provenance
    for (ScanPosting<ScanJob.DocRef> p : postings.values()) {
      if (p.docs() != null) {
        for (ScanJob.DocRef d : p.docs()) {
          if (!numbers.containsKey(d)) {
            numbers.put(d, docs.size());
            docs.add(d);
          }
        }
      }
    }
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
    return ScanPosting.postings(postings, cap, numbers::get, this::provenance);
  }

  private Provenance provenance(int doc) {
    ScanJob.DocRef d = docs.get(doc);
    return new Provenance(
        doc, fileOrds.getOrDefault(d.file(), -1), d.file(), d.position(), d.byteOffset(), d.id());
  }

  /** A document text, or a file that could not be read (text null, reason set). */
  @DefaultSerializer(JavaSerializer.class)
  record Fetched(String file, long position, String text, String reason) implements Serializable {}

  @Override
  public void fetchTexts(Map<String, TreeMap<Long, Long>> wanted, TextSink sink, PrintWriter log) {
    List<Tuple2<String, TreeMap<Long, Long>>> jobs = new ArrayList<>();
    wanted.forEach((file, pos) -> jobs.add(new Tuple2<>(uriOf.getOrDefault(file, file), pos)));
    if (jobs.isEmpty()) {
      return;
    }
    List<String> fields = options.textFields();
    String idField = options.idField();
    SerializableConf c = conf;
    List<Fetched> got =
        jsc.parallelize(jobs, jobs.size())
            .flatMap(job -> fetch(job._1(), job._2(), fields, idField, c).iterator())
            .collect();
    for (Fetched f : got) {
      if (f.text() == null) {
        unread.add(new Unread(f.file(), f.reason()));
        log.println(
            "warning: corpus file "
                + f.file()
                + " "
                + f.reason()
                + ": no snippets or answer_leak from it");
      } else {
        sink.accept(f.file(), f.position(), f.text());
      }
    }
  }

  private static List<Fetched> fetch(
      String uri,
      TreeMap<Long, Long> positions,
      List<String> fields,
      String idField,
      SerializableConf conf) {
    List<Fetched> out = new ArrayList<>();
    String file = HadoopCorpusFile.identity(uri);
    try {
      DocumentTexts.read(
          HadoopCorpusFile.of(uri, conf.get()),
          positions,
          fields,
          idField,
          (pos, text) -> out.add(new Fetched(file, pos, text, null)));
    } catch (IOException e) {
      out.add(new Fetched(file, -1, null, "cannot be re-read: " + e));
    }
    return out;
  }

  @Override
  public List<Unread> unreadTexts() {
    return List.copyOf(unread);
  }

  @Override
  public void scanShortItems(ShortItemScan scan, PrintWriter log) {
    for (ShortItemScan partial : shortPartials) {
      scan.merge(partial);
    }
  }
}
