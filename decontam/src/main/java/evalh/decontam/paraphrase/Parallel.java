package evalh.decontam.paraphrase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** Maps indexes to results on a pool of threads, results in index order. */
final class Parallel {
  private Parallel() {}

  static <T> List<T> map(int count, int threads, IntFunction<T> job) {
    if (threads <= 1) {
      List<T> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(job.apply(i));
      }
      return out;
    }
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      return pool.submit(() -> IntStream.range(0, count).parallel().mapToObj(job).toList()).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
