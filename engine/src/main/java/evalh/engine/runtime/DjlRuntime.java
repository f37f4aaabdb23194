package evalh.engine.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import evalh.engine.checkpoint.CheckpointException;
import evalh.engine.checkpoint.DType;
import evalh.engine.checkpoint.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link TensorRuntime} on DJL's PyTorch engine (libtorch through JNI), CPU or CUDA, float32 or
 * float16. DJL has no bfloat16: BF16 weights are widened exactly to float32 in Java, then narrowed
 * on the device when the compute dtype is float16.
 */
public final class DjlRuntime implements TensorRuntime<NDArray>, MatmulPeak {
  /** Default upper bound on one attention score block, in elements (float32): 64 Mi = 256 MiB. */
  public static final long ATTENTION_BLOCK_ELEMENTS = 64L << 20;

  private final long attentionBlockElements;

  private final Device device;
  private final DataType compute;
  private final NDManager root;
  private final Deque<NDManager> scopes = new ArrayDeque<>();
  private final Map<String, String> conversions = new TreeMap<>();

  private DjlRuntime(Device device, DataType compute, long attentionBlockElements) {
    this.device = device;
    this.compute = compute;
    this.attentionBlockElements = attentionBlockElements;
    this.root = NDManager.newBaseManager(device, "PyTorch");
    scopes.push(root);
  }

  /**
   * Opens a runtime.
   *
   * @param device {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}
   * @param dtype {@code auto}, {@code float32} or {@code float16}; auto is float32 on CPU and
   *     float16 on CUDA
   */
  public static DjlRuntime open(String device, String dtype) {
    return open(device, dtype, ATTENTION_BLOCK_ELEMENTS);
  }

  /**
   * Like {@link #open(String, String)}, with the size of one block of attention scores: longer
   * sequences are processed a block of query rows at a time.
   */
  public static DjlRuntime open(String device, String dtype, long attentionBlockElements) {
    Engine engine = Engine.getEngine("PyTorch");
    Device d = parseDevice(device, engine.getGpuCount());
    DataType dt =
        switch (dtype) {
          case "auto" -> d.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
          case "float32", "fp32" -> DataType.FLOAT32;
          case "float16", "fp16", "half" -> DataType.FLOAT16;
          case "bfloat16", "bf16" ->
              throw new IllegalArgumentException(
                  "--dtype bfloat16 is not available: DJL's PyTorch JNI has no bfloat16;"
                      + " use float32 (exact for bf16 weights) or float16");
          default ->
              throw new IllegalArgumentException(
                  "unknown --dtype " + dtype + " (auto, float32, float16)");
        };
    if (dt == DataType.FLOAT16 && !d.isGpu()) {
      throw new IllegalArgumentException(
          "--dtype float16 needs a CUDA device: PyTorch's CPU kernels for half precision are slow"
              + " and inexact; use float32 on CPU");
    }
    return new DjlRuntime(d, dt, attentionBlockElements);
  }

  static Device parseDevice(String spec, int gpus) {
    String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("auto")) {
      return gpus > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals("cuda") || s.startsWith("cuda:")) {
      int id = s.equals("cuda") ? 0 : Integer.parseInt(s.substring(5));
      if (id >= gpus) {
        throw new IllegalArgumentException(
            "--device "
                + spec
                + ": PyTorch sees "
                + gpus
                + " CUDA device(s). On an offline host, DJL needs the CUDA build of libtorch"
                + " 2.7.1: set PYTORCH_LIBRARY_PATH to its lib/ folder and PYTORCH_FLAVOR=cu128"
                + " (see README, GPU)");
      }
      return Device.gpu(id);
    }
    throw new IllegalArgumentException("unknown --device " + spec + " (auto, cpu, cuda, cuda:N)");
  }

  @Override
  public String device() {
    return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
  }

  @Override
  public String computeDtype() {
    return compute == DataType.FLOAT16 ? "float16" : "float32";
  }

  /** What happened to each stored dtype on upload, e.g. {@code BF16 -> float32 (exact...)}. */
  @Override
  public Map<String, String> conversions() {
    return new LinkedHashMap<>(conversions);
  }

  @Override
  public RuntimeInfo info() {
    Engine e = Engine.getEngine("PyTorch");
    return new RuntimeInfo(
        "djl",
        "DJL pytorch-native " + e.getVersion(),
        e.getVersion(),
        e.getGpuCount() > 0,
        "DJL PyTorch engine (JNI, libtorch " + e.getVersion() + ")");
  }

  private NDManager current() {
    return scopes.peek();
  }

  private NDArray own(NDArray a) {
    if (a.getManager() != current()) {
      a.attach(current());
    }
    return a;
  }

  @Override
  public NDArray weight(TensorInfo t) {
    Shape shape = new Shape(t.shape());
    ByteBuffer src = t.bytes();
    int n = Math.toIntExact(t.elementCount());
    NDArray a;
    switch (t.dtype()) {
      case F32 -> {
        ByteBuffer copy = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
        copy.put(src.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        copy.flip();
        a = root.create(copy, shape, DataType.FLOAT32);
        note(DType.F32, compute == DataType.FLOAT32 ? "float32 (as stored)" : "float16 (narrowed)");
      }
      case F16 -> {
        ByteBuffer copy = ByteBuffer.allocateDirect(n * 2).order(ByteOrder.nativeOrder());
        copy.put(src.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        copy.flip();
        a = root.create(copy, shape, DataType.FLOAT16);
        note(
            DType.F16,
            compute == DataType.FLOAT32 ? "float32 (exact widening)" : "float16 (as stored)");
      }
      case BF16 -> {
        ByteBuffer wide = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder());
        FloatBuffer fb = wide.asFloatBuffer();
        ByteBuffer s = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          fb.put(i, Float.intBitsToFloat((s.getShort(2 * i) & 0xffff) << 16));
        }
        a = root.create(wide, shape, DataType.FLOAT32);
        note(
            DType.BF16,
            compute == DataType.FLOAT32
                ? "float32 (exact widening in Java; DJL has no bfloat16)"
                : "float16 (widened in Java, narrowed on device; may round)");
      }
      default ->
          throw new CheckpointException(
              t.file() + ": tensor '" + t.name() + "' has unsupported dtype " + t.dtype());
    }
    if (a.getDataType() != compute) {
      NDArray c = a.toType(compute, false);
      a.close();
      a = c;
    }
    a.attach(root);
    return a;
  }

  private void note(DType stored, String what) {
    conversions.put(stored.name(), what);
  }

  @Override
  public Scope scope() {
    NDManager m = current().newSubManager();
    scopes.push(m);
    return () -> {
      if (scopes.peek() != m) {
        throw new IllegalStateException("scopes closed out of order");
      }
      scopes.pop();
      m.close();
    };
  }

  @Override
  public NDArray keep(NDArray a) {
    NDManager top = scopes.pop();
    try {
      a.attach(current());
    } finally {
      scopes.push(top);
    }
    return a;
  }

  @Override
  public NDArray tokens(int[] ids, int rows, int cols) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return current().create(l, new Shape(rows, cols));
  }

  @Override
  public NDArray constant(float[] data, long... shape) {
    NDArray a = current().create(data, new Shape(shape));
    if (compute != DataType.FLOAT32) {
      NDArray c = a.toType(compute, false);
      a.close();
      return c;
    }
    return a;
  }

  @Override
  public NDArray attentionMask(boolean[] allowed, int batch, int queries, int keys) {
    float[] add = new float[allowed.length];
    for (int i = 0; i < add.length; i++) {
      add[i] = allowed[i] ? 0f : Float.NEGATIVE_INFINITY;
    }
    return current().create(add, new Shape(batch, queries, keys));
  }

  @Override
  public NDArray withPrefix(NDArray prefix, NDArray x) {
    Shape s = x.getShape();
    Shape p = prefix.getShape();
    try (NDManager tmp = current().newSubManager()) {
      NDArray wide = prefix.broadcast(s.get(0), p.get(1), p.get(2), p.get(3));
      wide.attach(tmp);
      return own(NDArrays.concat(new NDList(wide, x), 2));
    }
  }

  @Override
  public NDArray embed(NDArray table, NDArray ids) {
    return own(Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow());
  }

  @Override
  public NDArray linear(NDArray x, NDArray w, NDArray b) {
    NDList out = b == null ? Linear.linear(x, w) : Linear.linear(x, w, b);
    return own(out.singletonOrThrow());
  }

  @Override
  public NDArray rmsNorm(NDArray x, NDArray w, double eps) {
    return norm(x, false, w, null, eps);
  }

  @Override
  public NDArray layerNorm(NDArray x, NDArray w, NDArray b, double eps) {
    return norm(x, true, w, b, eps);
  }

  /**
   * {@code (x - mean) / sqrt(var + eps)} (LayerNorm; {@code centered}) or {@code x / sqrt(mean(x^2)
   * + eps)} (RMSNorm) over the last dim in float32, cast to the compute dtype, times w, plus b.
   */
  private NDArray norm(NDArray x, boolean centered, NDArray w, NDArray b, double eps) {
    try (NDManager tmp = current().newSubManager()) {
      NDArray xf = x;
      if (x.getDataType() != DataType.FLOAT32) {
        // toType returns the array itself when the type already matches: only a copy is temporary.
        xf = x.toType(DataType.FLOAT32, false);
        xf.attach(tmp);
      }
      if (centered) {
        NDArray mean = xf.mean(new int[] {-1}, true);
        mean.attach(tmp);
        xf = xf.sub(mean);
        xf.attach(tmp);
      }
      NDArray sq = xf.square();
      sq.attach(tmp);
      NDArray var = sq.mean(new int[] {-1}, true);
      var.attach(tmp);
      NDArray inv = var.add(eps).sqrt();
      inv.attach(tmp);
      NDArray normed = xf.div(inv);
      normed.attach(tmp);
      NDArray cast = normed.toType(compute, false);
      cast.attach(tmp);
      if (b == null) {
        return own(cast.mul(w));
      }
      NDArray scaled = cast.mul(w);
      scaled.attach(tmp);
      return own(scaled.add(b));
    }
  }

  @Override
  public NDArray splitHeads(NDArray x, int heads, int headDim) {
    Shape s = x.getShape();
    return own(x.reshape(s.get(0), s.get(1), heads, headDim).transpose(0, 2, 1, 3));
  }

  @Override
  public NDArray rope(NDArray x, NDArray cos, NDArray sin) {
    long d = x.getShape().get(3);
    long r = cos.getShape().get(3);
    if (r == d) {
      return own(rotate(x, cos, sin));
    }
    try (NDManager tmp = current().newSubManager()) {
      NDArray head = x.get(new NDIndex("..., :{}", r));
      head.attach(tmp);
      NDArray rest = x.get(new NDIndex("..., {}:", r));
      rest.attach(tmp);
      NDArray rotated = rotate(head, cos, sin);
      rotated.attach(tmp);
      return own(NDArrays.concat(new NDList(rotated, rest), -1));
    }
  }

  /** {@code x*cos + rotate_half(x)*sin} over all of x's last dim, in the current scope. */
  private NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
    long half = x.getShape().get(3) / 2;
    try (NDManager tmp = current().newSubManager()) {
      NDArray x1 = x.get(new NDIndex("..., :{}", half));
      x1.attach(tmp);
      NDArray x2 = x.get(new NDIndex("..., {}:", half));
      x2.attach(tmp);
      NDArray neg = x2.neg();
      neg.attach(tmp);
      NDArray rot = NDArrays.concat(new NDList(neg, x1), -1);
      rot.attach(tmp);
      NDArray a = x.mul(cos);
      a.attach(tmp);
      NDArray b = rot.mul(sin);
      b.attach(tmp);
      NDArray out = a.add(b);
      out.attach(current());
      return out;
    }
  }

  @Override
  public NDArray attention(NDArray q, NDArray k, NDArray v, NDArray mask) {
    Shape qs = q.getShape();
    long b = qs.get(0);
    long nq = qs.get(1);
    long t = qs.get(2);
    long d = qs.get(3);
    long nkv = k.getShape().get(1);
    long tk = k.getShape().get(2);
    long offset = tk - t; // keys before the first query: a shared prefix
    long g = nq / nkv;
    double scale = 1.0 / Math.sqrt(d);
    try (NDManager tmp = current().newSubManager()) {
      NDArray qg = q.reshape(b, nkv, g, t, d);
      qg.attach(tmp);
      NDArray k5 = k.reshape(b, nkv, 1, tk, d);
      k5.attach(tmp);
      NDArray v5 = v.reshape(b, nkv, 1, tk, d);
      v5.attach(tmp);
      NDArray m5 = mask.reshape(b, 1, 1, t, tk);
      m5.attach(tmp);
      long rowsPerBlock = Math.max(1, attentionBlockElements / Math.max(1, b * nq * tk));
      boolean whole = rowsPerBlock >= t;
      NDList parts = new NDList();
      for (long r0 = 0; r0 < t; r0 += rowsPerBlock) {
        long r1 = Math.min(t, r0 + rowsPerBlock);
        long keys = offset + r1; // later keys are never visible (causal in packed order)
        // A block's scores and probabilities are freed before the next block is computed.
        try (NDManager blk = tmp.newSubManager()) {
          NDArray qb = whole ? qg : track(blk, qg.get(new NDIndex("..., {}:{}, :", r0, r1)));
          NDArray kb = whole ? k5 : track(blk, k5.get(new NDIndex("..., :{}, :", keys)));
          NDArray vb = whole ? v5 : track(blk, v5.get(new NDIndex("..., :{}, :", keys)));
          NDArray mb =
              whole ? m5 : track(blk, m5.get(new NDIndex("..., {}:{}, :{}", r0, r1, keys)));
          NDArray scores = track(blk, qb.matMul(track(blk, kb.transpose(0, 1, 2, 4, 3))));
          NDArray f32 = track(blk, track(blk, scores.mul(scale)).toType(DataType.FLOAT32, false));
          NDArray probs = track(blk, track(blk, f32.add(mb)).softmax(-1));
          NDArray pc = track(blk, probs.toType(compute, false));
          parts.add(track(tmp, pc.matMul(vb)));
        }
      }
      NDArray joined = parts.size() == 1 ? parts.get(0) : track(tmp, NDArrays.concat(parts, 3));
      NDArray merged = joined.reshape(b, nq, t, d).transpose(0, 2, 1, 3).reshape(b, t, nq * d);
      return own(merged);
    }
  }

  /** Attaches {@code a} to the temporary manager {@code tmp} and returns it. */
  private static NDArray track(NDManager tmp, NDArray a) {
    a.attach(tmp);
    return a;
  }

  @Override
  public NDArray swiglu(NDArray gate, NDArray up) {
    try (NDManager tmp = current().newSubManager()) {
      NDArray s = Activation.sigmoid(gate);
      s.attach(tmp);
      NDArray silu = gate.mul(s);
      silu.attach(tmp);
      return own(silu.mul(up));
    }
  }

  @Override
  public NDArray gelu(NDArray x) {
    // DJL's PyTorch engine calls torch::gelu with its default approximate="none": the erf form.
    return own(Activation.gelu(x));
  }

  @Override
  public NDArray add(NDArray a, NDArray b) {
    return own(a.add(b));
  }

  @Override
  public NDArray rows(NDArray x, int[] flatIndex) {
    Shape s = x.getShape();
    long h = s.get(s.dimension() - 1);
    try (NDManager tmp = current().newSubManager()) {
      NDArray flat = x.reshape(-1, h);
      flat.attach(tmp);
      long[] idx = Arrays.stream(flatIndex).asLongStream().toArray();
      NDArray ids = tmp.create(idx);
      return own(Embedding.embedding(ids, flat, SparseFormat.DENSE).singletonOrThrow());
    }
  }

  @Override
  public TargetScores scoreTargets(NDArray hidden, NDArray head, int[] targets, int chunkRows) {
    int n = targets.length;
    double[] lp = new double[n];
    int[] am = new int[n];
    for (int r0 = 0; r0 < n; r0 += chunkRows) {
      int r1 = Math.min(n, r0 + chunkRows);
      try (NDManager tmp = current().newSubManager()) {
        NDArray h = hidden.get(new NDIndex("{}:{}", r0, r1));
        h.attach(tmp);
        NDArray logits = Linear.linear(h, head).singletonOrThrow();
        logits.attach(tmp);
        NDArray f32 = logits.toType(DataType.FLOAT32, false);
        f32.attach(tmp);
        NDArray lsm = f32.logSoftmax(1);
        lsm.attach(tmp);
        long[] t = new long[r1 - r0];
        for (int i = r0; i < r1; i++) {
          t[i - r0] = targets[i];
        }
        NDArray idx = tmp.create(t, new Shape(r1 - r0, 1));
        NDArray picked = lsm.gather(idx, 1);
        picked.attach(tmp);
        NDArray best = f32.argMax(1);
        best.attach(tmp);
        float[] p = picked.toFloatArray();
        long[] b = best.toType(DataType.INT64, false).toLongArray();
        for (int i = r0; i < r1; i++) {
          lp[i] = p[i - r0];
          am[i] = (int) b[i - r0];
        }
      }
    }
    return new TargetScores(lp, am);
  }

  @Override
  public float[] toFloats(NDArray x) {
    try (NDManager tmp = current().newSubManager()) {
      NDArray f = track(tmp, x.toType(DataType.FLOAT32, true));
      return f.toFloatArray();
    }
  }

  @Override
  public long freeMemoryBytes() {
    if (device.isGpu()) {
      java.lang.management.MemoryUsage m = ai.djl.util.cuda.CudaUtils.getGpuMemory(device);
      return Math.max(0, m.getMax() - m.getUsed());
    }
    return Math.min(HostMemory.availableBytes(), directMemoryHeadroom());
  }

  /**
   * What JVM direct memory is left: DJL's CPU weights are uploaded through direct buffers ({@link
   * ByteBuffer#allocateDirect}), bounded by {@code -XX:MaxDirectMemorySize} (by default the heap
   * limit), often well below the host's free memory. The memory pre-check counts it, so that a
   * model that cannot fit fails before loading, not with "Cannot reserve ... direct buffer memory"
   * halfway through.
   */
  static long directMemoryHeadroom() {
    long limit = Runtime.getRuntime().maxMemory();
    var hotspot =
        java.lang.management.ManagementFactory.getPlatformMXBean(
            com.sun.management.HotSpotDiagnosticMXBean.class);
    if (hotspot != null) {
      try {
        long set = Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
        if (set > 0) {
          limit = set;
        }
      } catch (IllegalArgumentException e) {
        // no such option in this JVM: the heap limit, as the JDK's default
      }
    }
    long used = 0;
    for (java.lang.management.BufferPoolMXBean b :
        java.lang.management.ManagementFactory.getPlatformMXBeans(
            java.lang.management.BufferPoolMXBean.class)) {
      if (b.getName().equals("direct")) {
        used = b.getMemoryUsed();
      }
    }
    return Math.max(0, limit - used);
  }

  @Override
  public double measureMatmulPeak(int n, int iterations) {
    try (NDManager tmp = root.newSubManager()) {
      NDArray a = tmp.randomNormal(0, 1, new Shape(n, n), DataType.FLOAT32).toType(compute, false);
      NDArray b = tmp.randomNormal(0, 1, new Shape(n, n), DataType.FLOAT32).toType(compute, false);
      a.attach(tmp);
      b.attach(tmp);
      double best = 0;
      for (int i = 0; i < iterations + 2; i++) {
        long t0 = System.nanoTime();
        NDArray c = a.matMul(b);
        c.get(0, 0).toFloatArray(); // forces completion on asynchronous devices
        long dt = System.nanoTime() - t0;
        c.close();
        if (i >= 2) {
          best = Math.max(best, 2.0 * n * n * (double) n / (dt / 1e9));
        }
      }
      return best;
    }
  }

  @Override
  public void close() {
    while (scopes.size() > 1) {
      scopes.pop().close();
    }
    root.close();
  }
}
