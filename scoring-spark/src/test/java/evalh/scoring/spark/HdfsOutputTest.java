package evalh.scoring.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.engine.scoring.DemoCopies;
import evalh.harness.run.OutputStore;
import evalh.harness.run.RequestCache;
import evalh.harness.run.SweepUnits;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HadoopOutputStore} on a real HDFS: a {@link MiniDFSCluster} (a NameNode and a DataNode in
 * this JVM, over RPC on 127.0.0.1), and {@code evalh run --engine spark --output hdfs://...}
 * against the local sweep of the same checkpoints (the oracle: NIO on this machine's disk).
 */
class HdfsOutputTest {
  private static final ObjectMapper JSON = SweepRuns.JSON;

  /** Short, so that a dead attempt's lock is taken over within the test. */
  private static final long STALE_MS = 1500;

  @TempDir static Path base;
  private static MiniDFSCluster cluster;
  private static FileSystem fs;
  private static URI root;

  @TempDir Path tmp;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration c = new Configuration();
    c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("dfs").toString());
    cluster = new MiniDFSCluster.Builder(c).numDataNodes(1).build();
    cluster.waitActive();
    fs = cluster.getFileSystem();
    root = fs.getUri();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  private static HadoopOutputStore store() {
    return new HadoopOutputStore(root, STALE_MS);
  }

  private static String text(String path) throws IOException {
    try (var in = fs.open(new org.apache.hadoop.fs.Path(path))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A file as a killed writer leaves it: created, written, never closed or deleted. */
  private static void plant(String path, String content) throws IOException {
    FSDataOutputStream o = fs.create(new org.apache.hadoop.fs.Path(path), false);
    o.write(content.getBytes(StandardCharsets.UTF_8));
    o.hsync();
    o.close();
  }

  private static List<String> names(String dir) throws IOException {
    List<String> out = new ArrayList<>();
    for (var s : fs.listStatus(new org.apache.hadoop.fs.Path(dir))) {
      out.add(s.getPath().getName());
    }
    out.sort(null);
    return out;
  }

  @Test
  void aLockIsExclusiveWhileRenewedAndADeadAttemptsLockIsTakenOver() throws Exception {
    HadoopOutputStore store = store();
    Path lock = Path.of("/locks/a/.evalh-run.lock");
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      OutputStore.Lock held = store.lock(lock, "output directory /locks/a");
      String token = text("/locks/a/.evalh-run.lock");
      assertThat(token).startsWith("evalh output lock\ntoken=").contains("pid=");
      // a second attempt waits while the holder renews, then gives up naming the holder
      long t0 = System.nanoTime();
      Future<?> second = other.submit(() -> store().lock(lock, "output directory /locks/a"));
      assertThatThrownBy(second::get)
          .hasRootCauseInstanceOf(IllegalStateException.class)
          .rootCause()
          .hasMessageContaining("output directory /locks/a is in use by another evalh run (host ")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
      assertThat((System.nanoTime() - t0) / 1e6).isGreaterThanOrEqualTo(2 * STALE_MS);
      assertThat(text("/locks/a/.evalh-run.lock")).isEqualTo(token);
      held.close();
      assertThat(fs.exists(new org.apache.hadoop.fs.Path("/locks/a/.evalh-run.lock"))).isFalse();

      // a killed attempt's lock: nobody renews it; the next attempt takes it over
      plant("/locks/a/.evalh-run.lock", "evalh output lock\ntoken=dead\nhost=gone\npid=1\n");
      t0 = System.nanoTime();
      try (OutputStore.Lock next = store.lock(lock, "output directory /locks/a")) {
        assertThat((System.nanoTime() - t0) / 1e6).isGreaterThanOrEqualTo(STALE_MS);
        assertThat(text("/locks/a/.evalh-run.lock")).doesNotContain("token=dead");
      }
      assertThat(names("/locks/a")).isEmpty(); // nothing left aside
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void aDeadAttemptsOtherLocksAreTakenOverWithItsFolderLock() throws Exception {
    plant("/d/step-1/.evalh-run.lock", "evalh output lock\ntoken=t1\nattempt=a-dead\npid=1\n");
    plant("/d/step-1/cache/requests.jsonl.lock", "evalh output lock\ntoken=t2\nattempt=a-dead\n");
    plant("/d/step-2/.evalh-run.lock", "evalh output lock\ntoken=t3\nattempt=a-alive\n");
    ExecutorService one = Executors.newSingleThreadExecutor();
    try (OutputStore.Lock folder = store().lock(Path.of("/d/step-1/.evalh-run.lock"), "folder")) {
      // a store that would wait an hour for a stale lock: the dead attempt's second lock is taken
      // over at once (a hang here is guarded by the minute below, not measured)
      HadoopOutputStore patient = new HadoopOutputStore(root, 3_600_000);
      Future<?> cache =
          one.submit(
              () -> {
                patient
                    .lock(Path.of("/d/step-1/cache/requests.jsonl.lock"), "request cache")
                    .close();
                return null;
              });
      cache.get(60, java.util.concurrent.TimeUnit.SECONDS);
      // another attempt's lock is not: the patient store still waits on it
      Future<?> other =
          one.submit(() -> patient.lock(Path.of("/d/step-2/.evalh-run.lock"), "folder"));
      assertThatThrownBy(() -> other.get(3, java.util.concurrent.TimeUnit.SECONDS))
          .isInstanceOf(java.util.concurrent.TimeoutException.class);
      other.cancel(true);
    } finally {
      one.shutdownNow();
    }
    assertThat(names("/d/step-1/cache")).isEmpty();
    assertThat(text("/d/step-2/.evalh-run.lock")).contains("attempt=a-alive");
  }

  @Test
  void twoAttemptsRacingForOneFolderWriteOneAfterTheOther() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> attempts = new ArrayList<>();
      for (int a = 0; a < 2; a++) {
        int id = a;
        attempts.add(
            pool.submit(
                () -> {
                  HadoopOutputStore s = store();
                  try (OutputStore.Lock l =
                      s.lock(Path.of("/race/step-1/.evalh-run.lock"), "output directory")) {
                    // while one attempt holds the folder, the other never sees a partial file
                    byte[] before =
                        s.isFile(Path.of("/race/step-1/results.json"))
                            ? s.read(Path.of("/race/step-1/results.json"))
                            : null;
                    s.write(
                        Path.of("/race/step-1/results.json"),
                        o ->
                            o.write(
                                ("{\"attempt\": " + id + "}\n").getBytes(StandardCharsets.UTF_8)));
                    Thread.sleep(300);
                    assertThat(text("/race/step-1/results.json"))
                        .isEqualTo("{\"attempt\": " + id + "}\n");
                    return before == null ? "first" : "second";
                  }
                }));
      }
      List<String> order = new ArrayList<>();
      for (Future<String> f : attempts) {
        order.add(f.get());
      }
      assertThat(order).containsExactlyInAnyOrder("first", "second");
      assertThat(names("/race/step-1")).containsExactly("results.json");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aZombieAttemptNeitherClobbersTheWinnersFilesNorReleasesItsLock() throws Exception {
    HadoopOutputStore zombie = store();
    OutputStore.Lock lost = zombie.lock(Path.of("/z/step-1/.evalh-run.lock"), "output directory");
    // the winner took the lock over (the zombie stalled longer than the stale time) and wrote
    fs.delete(new org.apache.hadoop.fs.Path("/z/step-1/.evalh-run.lock"), false);
    plant("/z/step-1/.evalh-run.lock", "evalh output lock\ntoken=winner\n");
    plant("/z/step-1/results.json", "winner's\n");
    assertThatThrownBy(
            () ->
                zombie.write(
                    Path.of("/z/step-1/results.json"),
                    o -> o.write("zombie's\n".getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("lost its lock");
    assertThatThrownBy(
            () ->
                zombie.write(
                    Path.of("/z/step-1/samples_x.jsonl"),
                    o -> o.write("zombie's\n".getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("lost its lock");
    lost.close();
    assertThat(text("/z/step-1/results.json")).isEqualTo("winner's\n");
    assertThat(text("/z/step-1/.evalh-run.lock")).isEqualTo("evalh output lock\ntoken=winner\n");
    assertThat(names("/z/step-1")).containsExactly(".evalh-run.lock", "results.json");
  }

  @Test
  void atomicWritesTempFilesAndTheRequestCacheLog() throws Exception {
    HadoopOutputStore s = store();
    Path dir = Path.of("/w/step-1");
    try (OutputStore.Lock l = s.lock(dir.resolve(".evalh-run.lock"), "output directory")) {
      s.write(dir.resolve("results.json"), o -> o.write("1\n".getBytes(StandardCharsets.UTF_8)));
      s.write(dir.resolve("results.json"), o -> o.write("1\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(text("/w/step-1/results.json")).isEqualTo("1\n");
      s.write(dir.resolve("results.json"), o -> o.write("2\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(text("/w/step-1/results.json")).isEqualTo("2\n");
      assertThat(names("/w/step-1")).containsExactly(".evalh-run.lock", "results.json");
      // what a killed attempt left: a temporary file, removed under the lock
      plant("/w/step-1/.samples_x.jsonl.5f3a.tmp", "{\"doc_id\": 0");
      assertThat(s.files(dir)).contains(dir.resolve(".samples_x.jsonl.5f3a.tmp"));
      assertThat(s.removeTemps(dir)).containsExactly(dir.resolve(".samples_x.jsonl.5f3a.tmp"));
      assertThat(names("/w/step-1")).containsExactly(".evalh-run.lock", "results.json");
      s.move(dir.resolve("results.json"), dir.resolve("superseded/t/results.json"));
      assertThat(s.allFiles(dir))
          .containsExactly(
              dir.resolve(".evalh-run.lock"), dir.resolve("superseded/t/results.json"));
    }

    // the request cache: one segment per opening; a killed writer's torn line is dropped
    Path cache = Path.of("/w/step-1/cache/requests.jsonl");
    try (RequestCache c = RequestCache.open(s, cache)) {
      c.appendAll(List.of("k1", "k2"), List.of(entry(-1.5), entry(-2.25)));
    }
    plant(
        "/w/step-1/cache/requests.jsonl.0000000000001-00000001.part",
        "{\"k\":\"k3\",\"ll\":-3.0,\"g\":false,\"n\":1,\"x\":0}\n{\"k\":\"k4\",\"ll\":-4");
    try (RequestCache c = RequestCache.open(s, cache)) {
      assertThat(c.size()).isEqualTo(3);
      assertThat(c.dropped()).isEqualTo(1);
      assertThat(c.get("k2").logprob()).isEqualTo(-2.25);
      assertThat(c.get("k3").logprob()).isEqualTo(-3.0);
      c.appendAll(List.of("k4"), List.of(entry(-4.5)));
    }
    try (RequestCache c = RequestCache.open(s, cache)) {
      assertThat(c.size()).isEqualTo(4);
      assertThat(c.get("k4").logprob()).isEqualTo(-4.5);
    }
  }

  private static RequestCache.Entry entry(double ll) {
    return new RequestCache.Entry(ll, false, 1, 0);
  }

  // --- the sweep ---

  /** The compared files under the HDFS folder {@code dir} by relative path, with their bytes. */
  private static Map<String, byte[]> hdfsFiles(String dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    var it = fs.listFiles(new org.apache.hadoop.fs.Path(dir), true);
    while (it.hasNext()) {
      org.apache.hadoop.fs.Path p = it.next().getPath();
      String rel = p.toUri().getPath().substring(dir.length() + 1);
      if (SweepRuns.compared(rel)) {
        try (var in = fs.open(p)) {
          out.put(rel, in.readAllBytes());
        }
      }
    }
    return out;
  }

  @Test
  void aSweepIntoHdfsWritesTheLocalSweepsBytesAfterAKilledAttempt() throws Exception {
    Path ckpts = tmp.resolve("ckpts/mix");
    DemoCopies.perturbed(ckpts.resolve("step-1"), 1);
    DemoCopies.perturbed(ckpts.resolve("step-20"), 2);
    List<String> common = SweepRuns.sweep(ckpts, "--batch-tokens", "4096");
    Path local = tmp.resolve("local");
    StringWriter lerr = new StringWriter();
    assertThat(
            SweepRuns.run(new StringWriter(), lerr, SweepRuns.args(common, "-o", local.toString())))
        .as(lerr.toString())
        .isEqualTo(0);

    // what an attempt killed mid-unit leaves in step 20: its lock (never renewed again), a
    // temporary results.json, a request cache segment with a torn last line
    // (and the lock of its request cache: the same attempt, taken over with its folder's lock
    // without a second stale wait)
    plant(
        "/evals/mix/20/.evalh-run.lock",
        "evalh output lock\ntoken=killed\nattempt=a-killed\nhost=gone\npid=1\n");
    plant(
        "/evals/mix/20/cache/requests.jsonl.lock",
        "evalh output lock\ntoken=killed-cache\nattempt=a-killed\nhost=gone\npid=1\n");
    plant("/evals/mix/20/.results.json.1a2b3c.tmp", "{\"results\": {");
    byte[] cached = Files.readAllBytes(local.resolve("mix/20/cache/requests.jsonl"));
    plant(
        "/evals/mix/20/cache/requests.jsonl.0000000000001-00000001.part",
        new String(cached, 0, cached.length / 2 + 3, StandardCharsets.UTF_8));
    String out = root + "/evals";
    System.setProperty(HadoopStores.STALE_AFTER, STALE_MS + "ms");
    StringWriter sout = new StringWriter();
    StringWriter serr = new StringWriter();
    try {
      assertThat(
              SweepRuns.run(
                  sout,
                  serr,
                  SweepRuns.args(common, "--engine", "spark", "--master", "local[2]", "-o", out)))
          .as(serr.toString())
          .isEqualTo(0);
    } finally {
      System.clearProperty(HadoopStores.STALE_AFTER);
    }
    assertThat(serr.toString())
        .contains("into " + out + ", one spark task per checkpoint")
        .contains("evalh: removed " + out + "/mix/20/.results.json.1a2b3c.tmp")
        .contains("resuming: dropped 1 incomplete line(s)");
    assertThat(sout.toString()).contains("sweep " + out + ": 2 checkpoint(s): 2 scored");

    // every file the local sweep wrote, with its bytes (results.json: less timing fields); no
    // lock, no temporary file left
    Map<String, byte[]> want = SweepRuns.files(local);
    assertThat(want).containsKeys("mix/1/results.json", "mix/20/samples_wikitext-2.jsonl");
    SweepRuns.assertSameFiles(want, hdfsFiles("/evals"));
    JsonNode r20;
    try (var in = fs.open(new org.apache.hadoop.fs.Path("/evals/mix/20/results.json"))) {
      r20 = JSON.readTree(in.readAllBytes());
    }
    assertThat(r20.at("/evalh/this_run/cache_hits").asInt()).isPositive();

    // two attempts of every unit at once (a speculative copy of each task) into a fresh output:
    // one scores, the other waits for the folder's lock and then finds the unit done (skipped);
    // the files are the local sweep's
    String raced = root + "/raced";
    // long enough that the waiting attempt never gives up on the live one (it waits twice this)
    System.setProperty(HadoopStores.STALE_AFTER, "30s");
    StringWriter rerr = new StringWriter();
    try {
      assertThat(
              SweepRuns.run(
                  new StringWriter(),
                  rerr,
                  SweepRuns.args(common, "--engine", "race-test", "-o", raced)))
          .as(rerr.toString())
          .isEqualTo(0);
    } finally {
      System.clearProperty(HadoopStores.STALE_AFTER);
    }
    assertThat(RacingEngine.ATTEMPTS).hasSize(4);
    for (int u = 0; u < 2; u++) {
      assertThat(
              List.of(
                  RacingEngine.ATTEMPTS.get(2 * u).status(),
                  RacingEngine.ATTEMPTS.get(2 * u + 1).status()))
          .as(RacingEngine.ATTEMPTS.get(2 * u).err() + RacingEngine.ATTEMPTS.get(2 * u + 1).err())
          .containsExactlyInAnyOrder(SweepUnits.Status.SCORED, SweepUnits.Status.SKIPPED);
    }
    SweepRuns.assertSameFiles(want, hdfsFiles("/raced"));

    // the same command again: both checkpoints done already, by fingerprint
    StringWriter again = new StringWriter();
    assertThat(
            SweepRuns.run(
                again,
                new StringWriter(),
                SweepRuns.args(common, "--engine", "spark", "--master", "local[2]", "-o", out)))
        .isEqualTo(0);
    assertThat(again.toString()).contains("2 checkpoint(s): 0 scored, 2 skipped (done already)");
  }
}
