package evalh.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import evalh.decontam.check.CheckItem;
import evalh.decontam.check.CheckSettings;
import evalh.decontam.check.ItemChecker;
import evalh.decontam.check.ShortItemScan;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.scan.ScanPosting;
import evalh.decontam.text.NgramScheme;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * Issue 16 item 6: with {@code spark.serializer=KryoSerializer} every value the jobs hand to Spark
 * (RDD elements, shuffled postings, task results, broadcasts) round-trips through Spark's own Kryo
 * set-up. (The standalone-cluster check, scripts/spark-cluster-check.sh, runs a scan and an index
 * job with KryoSerializer end to end.)
 */
class KryoSerializationTest {
  private static final SerializerInstance KRYO =
      new KryoSerializer(new SparkConf(false)).newInstance();

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) {
    ByteBuffer b = KRYO.serialize(value, ClassTag$.MODULE$.apply(Object.class));
    return (T) KRYO.deserialize(b, ClassTag$.MODULE$.apply(Object.class));
  }

  /** What Kryo's default FieldSerializer does with a record nobody annotated. */
  record Plain(String file, long position) implements Serializable {}

  @Test
  void aPlainRecordIsWhatBreaksKryo() {
    // the failure the annotations prevent (if Kryo ever handles records, this test says so)
    assertThatThrownBy(() -> roundTrip(new Plain("f", 1))).isNotNull();
  }

  @Test
  void theJobsValuesRoundTrip() {
    ScanJob.DocRef ref = new ScanJob.DocRef("/c/a.jsonl", 7, 1234, "doc-7");
    assertThat(roundTrip(ref)).isEqualTo(ref);

    CorpusListing.Entry e = new CorpusListing.Entry("file:///c/a.jsonl", 99);
    assertThat(roundTrip(e)).isEqualTo(e);
    // how parallelize holds them: groups of entries, numbered for index mode
    assertThat(roundTrip(new scala.Tuple2<>(3, new java.util.ArrayList<>(List.of(e)))))
        .isEqualTo(new scala.Tuple2<>(3, List.of(e)));

    IndexJob.Shard s = new IndexJob.Shard("shard-00001", 2, 10, 200, 1.5, "log", "/tmp/x");
    assertThat(roundTrip(s)).isEqualTo(s);

    ScanPosting<ScanJob.DocRef> p = new ScanPosting<>();
    p.add(ref, 3);
    p.add(new ScanJob.DocRef("/c/b.jsonl", 1, 0, null), 3);
    ScanPosting<ScanJob.DocRef> q = roundTrip(p);
    assertThat(q.count()).isEqualTo(2);
    assertThat(q.docs()).containsExactlyElementsOf(p.docs());
    // beyond the cap only the count travels
    p.add(new ScanJob.DocRef("/c/b.jsonl", 2, 10, null), 2);
    ScanPosting<ScanJob.DocRef> capped = roundTrip(p);
    assertThat(capped.count()).isEqualTo(3);
    assertThat(capped.docs()).isNull();

    FileStats st = new FileStats();
    st.docs = 5;
    ScanJob.FileReport fr = new ScanJob.FileReport("file:///c/a.jsonl", 99, st);
    assertThat(roundTrip(fr).stats().docs).isEqualTo(5);

    ScanMatches.Fetched f = new ScanMatches.Fetched("/c/a.jsonl", 7, "text", null);
    assertThat(roundTrip(f)).isEqualTo(f);
  }

  @Test
  void theBroadcastShortItemScanAndPartitionResultsRoundTrip() throws java.io.IOException {
    List<CheckItem> items =
        List.of(CheckItem.multipleChoice("t", 0, "Two plus two", List.of("four", "five"), 0));
    ShortItemScan scan =
        ItemChecker.plan(items, NgramScheme.defaults(), new CheckSettings(10, 3, 100, true, 1))
            .shortItems();
    JavaSerialized<ShortItemScan> back = roundTrip(new JavaSerialized<>(scan));
    assertThat(back.value()).isNotNull();

    ScanJob.PartitionResult r = new ScanJob.PartitionResult();
    r.shortItems = scan.emptyCopy();
    r.postings.put(42L, new ScanPosting<>());
    ScanJob.PartitionResult r2 = roundTrip(r);
    assertThat(r2.postings).containsKey(42L);
    assertThat(r2.shortItems).isNotNull();
  }
}
