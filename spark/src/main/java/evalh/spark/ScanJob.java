package evalh.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import evalh.decontam.check.ShortItemScan;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.index.BuildOptions;
import evalh.decontam.scan.NgramScan;
import evalh.decontam.scan.ScanPosting;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The {@code scan} mode: the items' n-gram hashes are broadcast; every partition reads its corpus
 * files with the local scan's {@link NgramScan} (the same readers, token hashes and stride as the
 * local scan and the index build) and keeps, per benchmark n-gram a document contains, the
 * document's provenance; postings are reduced by hash across the cluster ({@code reduceByKey}), so
 * the driver receives one bounded entry per matched n-gram.
 */
final class ScanJob {
  private ScanJob() {}

  /** A matched document's provenance (what an index stores per document). */
  @DefaultSerializer(JavaSerializer.class)
  record DocRef(String file, long position, long byteOffset, String id) implements Serializable {}

  /** What one file contributed. */
  @DefaultSerializer(JavaSerializer.class)
  record FileReport(String uri, long bytes, FileStats stats) implements Serializable {}

  /** One partition's output. */
  @DefaultSerializer(JavaSerializer.class)
  static final class PartitionResult implements Serializable {
    private static final long serialVersionUID = 1L;
    final HashMap<Long, ScanPosting<DocRef>> postings = new HashMap<>();
    final List<FileReport> files = new ArrayList<>();
    ShortItemScan shortItems;

    /** The same result without its postings (they travel through the shuffle). */
    PartitionResult withoutPostings() {
      PartitionResult r = new PartitionResult();
      r.files.addAll(files);
      r.shortItems = shortItems;
      return r;
    }
  }

  /** The reduced result on the driver. */
  record Result(
      Map<Long, ScanPosting<DocRef>> postings,
      List<ShortItemScan> shortItems,
      List<FileReport> files) {}

  static Result run(
      JavaSparkContext jsc,
      List<List<CorpusListing.Entry>> groups,
      BuildOptions options,
      long[] itemHashes,
      ShortItemScan shortItems,
      int cap,
      SerializableConf conf) {
    Broadcast<long[]> hashes = jsc.broadcast(itemHashes);
    Broadcast<JavaSerialized<ShortItemScan>> shortTemplate =
        jsc.broadcast(new JavaSerialized<>(shortItems));
    JavaRDD<PartitionResult> results =
        jsc.parallelize(groups, groups.size())
            .mapPartitions(
                it ->
                    scanPartition(
                        it, hashes.value(), shortTemplate.value().value(), options, cap, conf))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<Long, ScanPosting<DocRef>> postings =
          new HashMap<>(
              results
                  .flatMapToPair(
                      r ->
                          r.postings.entrySet().stream()
                              .map(e -> new Tuple2<>(e.getKey(), e.getValue()))
                              .iterator())
                  .reduceByKey((a, b) -> ScanPosting.merge(a, b, cap))
                  .collectAsMap());
      List<ShortItemScan> shorts = new ArrayList<>();
      List<FileReport> files = new ArrayList<>();
      for (JavaSerialized<PartitionResult> t :
          results.map(r -> new JavaSerialized<>(r.withoutPostings())).collect()) {
        shorts.add(t.value().shortItems);
        files.addAll(t.value().files);
      }
      return new Result(postings, shorts, files);
    } finally {
      results.unpersist(false);
      hashes.destroy();
      shortTemplate.destroy();
    }
  }

  private static Iterator<PartitionResult> scanPartition(
      Iterator<List<CorpusListing.Entry>> groups,
      long[] itemHashes,
      ShortItemScan shortTemplate,
      BuildOptions options,
      int cap,
      SerializableConf conf)
      throws IOException {
    PartitionResult out = new PartitionResult();
    out.shortItems = shortTemplate.emptyCopy();
    NgramScan scan = new NgramScan(options.scheme(), itemHashes);
    while (groups.hasNext()) {
      for (CorpusListing.Entry e : groups.next()) {
        CorpusFile file = HadoopCorpusFile.of(e.uri(), conf.get());
        String identity = file.path();
        FileStats stats =
            scan.scanFile(
                file,
                options.textFields(),
                options.idField(),
                out.shortItems,
                (doc, hashes, count) -> {
                  DocRef ref = new DocRef(identity, doc.position(), doc.byteOffset(), doc.id());
                  for (int i = 0; i < count; i++) {
                    out.postings.computeIfAbsent(hashes[i], k -> new ScanPosting<>()).add(ref, cap);
                  }
                });
        out.files.add(new FileReport(e.uri(), e.size(), stats));
      }
    }
    return List.of(out).iterator();
  }
}
