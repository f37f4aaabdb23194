package evalh.harness.cli;

import evalh.engine.runtime.TensorRuntime;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code evalh bench --op-profile}: wall time per {@link TensorRuntime} operation, measured by a
 * proxy around the runtime the model calls. Ops a runtime runs inside another (RMSNorm's dtype
 * conversions, attention's parts) count toward the outer op.
 */
final class OpProfile {
  private final Map<String, long[]> byOp = new TreeMap<>(); // name -> {calls, nanos}

  @SuppressWarnings("unchecked")
  <T> TensorRuntime<T> wrap(TensorRuntime<T> real) {
    return (TensorRuntime<T>)
        Proxy.newProxyInstance(
            TensorRuntime.class.getClassLoader(),
            new Class<?>[] {TensorRuntime.class},
            (proxy, m, args) -> {
              long t0 = System.nanoTime();
              try {
                return m.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              } finally {
                String name =
                    m.getName().equals("attention") && args.length == 6
                        ? "attention (prefix)"
                        : m.getName();
                long[] a = byOp.computeIfAbsent(name, k -> new long[2]);
                a[0]++;
                a[1] += System.nanoTime() - t0;
              }
            });
  }

  /** Forgets what was measured so far (the next {@link #print} covers what runs after this). */
  void reset() {
    byOp.clear();
  }

  void print(String label, PrintWriter out) {
    long total = byOp.values().stream().mapToLong(a -> a[1]).sum();
    List<Map.Entry<String, long[]>> rows = new ArrayList<>(byOp.entrySet());
    rows.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
    out.printf(Locale.ROOT, "op profile of %s: %.2f s in runtime calls%n", label, total / 1e9);
    for (Map.Entry<String, long[]> r : rows) {
      if (r.getValue()[1] * 1000 < total) {
        continue; // under 0.1%
      }
      out.printf(
          Locale.ROOT,
          "  %-20s %8d calls %9.2f s %6.1f%%%n",
          r.getKey(),
          r.getValue()[0],
          r.getValue()[1] / 1e9,
          100.0 * r.getValue()[1] / Math.max(1, total));
    }
    out.flush();
  }
}
