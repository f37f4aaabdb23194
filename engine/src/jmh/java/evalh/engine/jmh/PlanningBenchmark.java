package evalh.engine.jmh;

import evalh.engine.scoring.BatchPlanner;
import evalh.engine.scoring.PrefixPlanner;
import evalh.engine.scoring.TokenRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Java-side costs around the model: planning a full 5-shot MMLU run (14,042 questions x 4
 * choices: packing rows, clustering shared prefixes) and widening BF16 weights to float32 (what
 * loading an 8B BF16 checkpoint does 8 billion times). Run with {@code scripts/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlanningBenchmark {
  private List<TokenRequest> mmlu;
  private ByteBuffer bf16;
  private FloatBuffer f32;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(1);
    mmlu = new ArrayList<>();
    for (int subject = 0; subject < 57; subject++) {
      int[] block = rnd.ints(500, 0, 128000).toArray();
      for (int q = 0; q < 14042 / 57; q++) {
        int[] ctx = java.util.Arrays.copyOf(block, 600);
        System.arraycopy(rnd.ints(100, 0, 128000).toArray(), 0, ctx, 500, 100);
        for (int c = 0; c < 4; c++) {
          mmlu.add(new TokenRequest(ctx, new int[] {rnd.nextInt(128000)}, false));
        }
      }
    }
    int n = 16 << 20; // 16 Mi weights
    bf16 = ByteBuffer.allocateDirect(2 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      bf16.putShort(2 * i, (short) rnd.nextInt(1 << 16));
    }
    f32 = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  @Benchmark
  public int planFiveShotMmlu() {
    List<BatchPlanner.Row> rows = BatchPlanner.rows(mmlu, 4096);
    return PrefixPlanner.clusters(rows, 64).size();
  }

  @Benchmark
  public float widenBf16SixteenMi() {
    int n = f32.capacity();
    for (int i = 0; i < n; i++) {
      f32.put(i, Float.intBitsToFloat((bf16.getShort(2 * i) & 0xffff) << 16));
    }
    return f32.get(n - 1);
  }
}
