package evalh.spark;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.decontam.text.NgramHasher;
import evalh.decontam.text.Normalization;
import evalh.decontam.text.TextNormalizer;
import evalh.decontam.text.TokenBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * Proves the plumbing: Spark starts in-process on this JDK with the module's flags, evalh-decontam
 * classes run inside tasks (the closure and the {@link Normalization} it captures are serialized),
 * and results come back equal to the same computation done on the driver without Spark.
 */
class SparkSmokeTest {
  private static final int N = 3;

  private static final List<String> TEXTS =
      List.of(
          "The quick brown fox jumps over the lazy dog.",
          "THE QUICK brown fox -- jumps over the lazy cat!",
          "Photosynthesis converts light energy into chemical energy.",
          "photosynthesis converts light energy into chemical energy in plants",
          "The quick brown fox jumps over the lazy dog.");

  /** (n-gram hash, 1) for every word n-gram of one text, as the decontam index computes them. */
  private static List<Tuple2<Long, Long>> ngrams(Normalization norm, String text) {
    TextNormalizer normalizer = norm.newNormalizer();
    TokenBuffer tokens = new TokenBuffer();
    normalizer.tokenize(text, tokens);
    List<Tuple2<Long, Long>> out = new ArrayList<>();
    for (long h : NgramHasher.ngramHashes(tokens, N)) {
      out.add(new Tuple2<>(h, 1L));
    }
    return out;
  }

  @Test
  void rddJobRunsDecontamClassesInTasksAndMatchesTheDriver() {
    Normalization norm = Normalization.JANITOR;
    JavaRDD<String> texts = SparkTestSession.context().parallelize(TEXTS, 2);
    assertThat(texts.getNumPartitions()).isEqualTo(2);

    Map<Long, Long> onSpark =
        texts.flatMapToPair(t -> ngrams(norm, t).iterator()).reduceByKey(Long::sum).collectAsMap();
    // Task-side token hashes too, to exercise a plain static decontam call in a lambda.
    long tokenHashSum =
        texts
            .flatMap(t -> List.of(t.split("\\s+")).iterator())
            .map(NgramHasher::tokenHash)
            .reduce(Long::sum);

    Map<Long, Long> onDriver = new HashMap<>();
    long driverTokenHashSum = 0;
    for (String t : TEXTS) {
      for (Tuple2<Long, Long> p : ngrams(norm, t)) {
        onDriver.merge(p._1(), p._2(), Long::sum);
      }
      for (String w : t.split("\\s+")) {
        driverTokenHashSum += NgramHasher.tokenHash(w);
      }
    }

    assertThat(onSpark).isEqualTo(onDriver);
    assertThat(onSpark.values()).contains(2L); // the repeated sentence, counted across partitions
    assertThat(tokenHashSum).isEqualTo(driverTokenHashSum);
  }

  @Test
  void sqlJobRunsCodegenOnThisJdk() {
    Dataset<Row> counts =
        SparkTestSession.get().range(0, 1000).selectExpr("id % 7 AS k").groupBy("k").count();
    long total = 0;
    for (Iterator<Row> it = counts.toLocalIterator(); it.hasNext(); ) {
      total += it.next().getLong(1);
    }
    assertThat(counts.count()).isEqualTo(7);
    assertThat(total).isEqualTo(1000);
  }
}
