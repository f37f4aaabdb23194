package evalh.engine.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import evalh.engine.checkpoint.CheckpointException;
import evalh.engine.checkpoint.DType;
import evalh.engine.checkpoint.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link TensorRuntime} on libtorch's stable C ABI through Java's FFM API (no JNI, no compiled
 * glue), for any libtorch &gt;= 2.10 (see {@link LibTorchLocator} for which one). bfloat16, float16
 * and float32 compute; weights of the compute dtype are zero-copy views of the memory mapped
 * checkpoint. RMSNorm and LayerNorm statistics, the attention softmax and the final log-softmax are
 * float32, as in HF transformers. Attention is {@code aten::scaled_dot_product_attention}; over a
 * shared prefix on the CPU, two flash attentions merged by their log-sum-exp (package docs).
 *
 * <p>Shapes are checked in Java before each op, so that bad input is a {@link TorchException}
 * naming the op and shapes, never a crash of the JVM.
 */
public final class TorchRuntime implements TensorRuntime<TorchRuntime.Tensor>, MatmulPeak {

  /** A libtorch tensor handle with its shape and dtype code. */
  public static final class Tensor {
    final MemorySegment handle;
    final long[] shape;
    final int dtype;

    /** The causal mask marker: no tensor, SDPA's {@code is_causal}. */
    final boolean causal;

    /**
     * For a mask over a shared prefix and the rows' own keys whose prefix part is open to every
     * real query: the mask of the own keys alone (the causal marker, or an additive [B, 1, T, T] in
     * the compute dtype), so that attention can run as two attentions merged by their log-sum-exp.
     * Null otherwise.
     */
    final Tensor ownKeys;

    Tensor(MemorySegment handle, long[] shape, int dtype, boolean causal) {
      this(handle, shape, dtype, causal, null);
    }

    Tensor(MemorySegment handle, long[] shape, int dtype, boolean causal, Tensor ownKeys) {
      this.handle = handle;
      this.shape = shape;
      this.dtype = dtype;
      this.causal = causal;
      this.ownKeys = ownKeys;
    }

    long dim(int i) {
      return shape[i < 0 ? shape.length + i : i];
    }

    @Override
    public String toString() {
      return causal ? "causal" + Arrays.toString(shape) : Arrays.toString(shape);
    }
  }

  private final LibTorch lt;
  private final int deviceType;
  private final int deviceIndex;
  private final int compute;

  /**
   * The dtype attention runs in: float32 for bfloat16 compute on a CPU without AMX, where
   * libtorch's bfloat16 flash-attention kernel measured 14x slower than its float32 one (README,
   * Tensor runtimes); the compute dtype otherwise.
   */
  private final int attentionDtype;

  private final Deque<List<Tensor>> scopes = new ArrayDeque<>();
  private final Map<String, String> conversions = new TreeMap<>();

  private TorchRuntime(LibTorch lt, int deviceType, int deviceIndex, int compute) {
    this.lt = lt;
    this.deviceType = deviceType;
    this.deviceIndex = deviceIndex;
    this.compute = compute;
    this.attentionDtype =
        compute == lt.bf16 && deviceType == lt.cpu && !CpuDtype.hasAmxBf16() ? lt.f32 : compute;
    scopes.push(new ArrayList<>());
  }

  /**
   * Opens a runtime on the libtorch at {@code where}.
   *
   * @param device {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}
   * @param dtype {@code auto}, {@code float32}, {@code bfloat16} or {@code float16}; auto is
   *     float32 on CPU (accuracy) and {@code storedDtype} on CUDA
   * @param storedDtype the checkpoint's stored dtype, for {@code auto} on CUDA
   */
  public static TorchRuntime open(
      LibTorchLocation where, String device, String dtype, DType storedDtype) {
    LibTorch lt = LibTorch.load(where);
    String s = device.trim().toLowerCase(Locale.ROOT);
    int gpus = lt.cudaDevices();
    int type;
    int index = 0;
    if (s.equals("auto")) {
      type = gpus > 0 ? lt.cudaDevice : lt.cpu;
    } else if (s.equals("cpu")) {
      type = lt.cpu;
    } else if (s.equals("cuda") || s.startsWith("cuda:")) {
      try {
        index = s.equals("cuda") ? 0 : Integer.parseInt(s.substring(5));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("unknown --device " + device + " (auto, cpu, cuda:N)");
      }
      if (!lt.cuda) {
        throw new TorchException(
            "--device "
                + device
                + ": "
                + lt
                + " has no CUDA: it is a CPU-only build. "
                + LibTorchLocator.CUDA_HINT);
      }
      if (index >= gpus) {
        int[] count = lt.cudaDeviceCount();
        throw new TorchException(
            "--device "
                + device
                + ": "
                + lt
                + ": "
                + noGpu(count[0], count[1], index, lt.cudaErrorString(count[0])));
      }
      type = lt.cudaDevice;
    } else {
      throw new IllegalArgumentException(
          "unknown --device " + device + " (auto, cpu, cuda, cuda:N)");
    }
    boolean gpu = type == lt.cudaDevice;
    int code =
        switch (dtype.trim().toLowerCase(Locale.ROOT)) {
          case "auto" ->
              !gpu
                  ? lt.f32
                  : switch (storedDtype == null ? DType.F32 : storedDtype) {
                    case BF16 -> lt.bf16;
                    case F16 -> lt.f16;
                    default -> lt.f32;
                  };
          case "float32", "fp32" -> lt.f32;
          case "bfloat16", "bf16" -> lt.bf16;
          case "float16", "fp16", "half" -> lt.f16;
          default ->
              throw new IllegalArgumentException(
                  "unknown --dtype " + dtype + " (auto, float32, bfloat16, float16)");
        };
    return new TorchRuntime(lt, type, index, code);
  }

  /**
   * Why a CUDA build of libtorch cannot use device {@code index}, from {@code cudaGetDeviceCount}'s
   * error code (the CUDA runtime's {@code cudaError_t}) and count.
   */
  static String noGpu(int code, int count, int index, String cudaText) {
    String said = cudaText == null ? "" : " (\"" + cudaText + "\")";
    return switch (code) {
      case 0 ->
          count == 0
              ? "it sees no GPU (cudaGetDeviceCount: 0 devices). Check nvidia-smi and"
                  + " CUDA_VISIBLE_DEVICES."
              : "it sees "
                  + count
                  + " GPU(s), so there is no cuda:"
                  + index
                  + " (devices are cuda:0 to cuda:"
                  + (count - 1)
                  + "; CUDA_VISIBLE_DEVICES renumbers them).";
      case 100 ->
          "it sees no GPU (CUDA error 100, cudaErrorNoDevice"
              + said
              + "). Check nvidia-smi and CUDA_VISIBLE_DEVICES.";
      case 35 ->
          "the NVIDIA driver is too old for this torch's CUDA runtime (CUDA error 35,"
              + " cudaErrorInsufficientDriver"
              + said
              + "). Update the driver, or use a PyTorch built for the CUDA version nvidia-smi"
              + " shows.";
      case 34 ->
          "no NVIDIA driver is installed: libcuda.so is the CUDA toolkit's stub (CUDA error 34,"
              + " cudaErrorStubLibrary"
              + said
              + ").";
      case -1 -> "its CUDA runtime could not be asked for the device count (cudaGetDeviceCount).";
      default ->
          "cudaGetDeviceCount failed with CUDA error "
              + code
              + said
              + ". Possible causes: no GPU visible (nvidia-smi, CUDA_VISIBLE_DEVICES), an NVIDIA"
              + " driver too old for this torch's CUDA, or a broken driver install.";
    };
  }

  @Override
  public RuntimeInfo info() {
    return new RuntimeInfo(
        "torch",
        lt.location.library().toString(),
        LibTorch.versionString(lt.abiVersion),
        lt.cuda,
        lt.location.source());
  }

  @Override
  public String device() {
    return deviceType == lt.cpu ? "cpu" : "cuda:" + deviceIndex;
  }

  @Override
  public String computeDtype() {
    return lt.dtypeName(compute);
  }

  /** What happened to each stored dtype on upload. */
  @Override
  public Map<String, String> conversions() {
    return new LinkedHashMap<>(conversions);
  }

  private boolean onCpu() {
    return deviceType == lt.cpu;
  }

  // ---- ownership ---------------------------------------------------------------------------

  private Tensor own(MemorySegment h) {
    Tensor t = new Tensor(h, lt.shape(h), lt.dtype(h), false);
    scopes.peek().add(t);
    return t;
  }

  private Tensor own(long address) {
    return own(MemorySegment.ofAddress(address));
  }

  @Override
  public Scope scope() {
    List<Tensor> mine = new ArrayList<>();
    scopes.push(mine);
    return () -> {
      if (scopes.peek() != mine) {
        throw new IllegalStateException("scopes closed out of order");
      }
      scopes.pop();
      free(mine);
    };
  }

  private void free(List<Tensor> ts) {
    for (Tensor t : ts) {
      if (!t.causal) {
        lt.delete(t.handle);
      }
    }
    ts.clear();
  }

  @Override
  public Tensor keep(Tensor t) {
    List<Tensor> top = scopes.pop();
    try {
      for (int i = top.size() - 1; i >= 0; i--) {
        if (top.get(i) == t) {
          top.remove(i);
          scopes.peek().add(t);
          break;
        }
      }
    } finally {
      scopes.push(top);
    }
    return t;
  }

  // ---- dispatcher helpers ------------------------------------------------------------------

  /** A new handle for a tensor argument (the dispatcher consumes it). */
  private long arg(Tensor t) {
    return lt.newHandle(t.handle).address();
  }

  private long optional(Tensor t) {
    return t == null ? LibTorch.NONE : lt.some(arg(t));
  }

  private Tensor op(String op, String overload, String what, long... args) {
    return own(lt.call(op, overload, 1, args, what)[0]);
  }

  private static String shapes(Object... ts) {
    StringBuilder b = new StringBuilder();
    for (Object t : ts) {
      b.append(b.isEmpty() ? "" : ", ").append(t);
    }
    return b.toString();
  }

  private static void require(boolean ok, String op, Object... shapes) {
    if (!ok) {
      throw new TorchException(op + ": incompatible shapes " + shapes(shapes));
    }
  }

  private Tensor toDtype(Tensor x, int dtype) {
    if (x.dtype == dtype) {
      return x;
    }
    return op(
        "aten::to",
        "dtype",
        "aten::to " + x + " -> " + lt.dtypeName(dtype),
        arg(x),
        dtype,
        LibTorch.ofBool(false),
        LibTorch.ofBool(false),
        LibTorch.NONE);
  }

  private Tensor toDevice(Tensor x, int dtype) {
    return op(
        "aten::to",
        "device",
        "aten::to " + x + " -> " + device(),
        arg(x),
        LibTorch.ofDevice(deviceType, deviceIndex),
        dtype,
        LibTorch.ofBool(false),
        LibTorch.ofBool(false),
        LibTorch.NONE);
  }

  private Tensor toHost(Tensor x) {
    if (onCpu()) {
      return x;
    }
    return op(
        "aten::to",
        "device",
        "aten::to " + x + " -> cpu",
        arg(x),
        LibTorch.ofDevice(lt.cpu, 0),
        x.dtype,
        LibTorch.ofBool(false),
        LibTorch.ofBool(false),
        LibTorch.NONE);
  }

  private Tensor reshape(Tensor x, long... shape) {
    return op(
        "aten::reshape",
        "",
        "aten::reshape " + x + " -> " + Arrays.toString(shape),
        arg(x),
        lt.ofInts(shape));
  }

  private Tensor transpose(Tensor x, int a, int b) {
    return op("aten::transpose", "int", "aten::transpose " + x, arg(x), a, b);
  }

  private Tensor narrow(Tensor x, int dim, long start, long length) {
    return op("aten::narrow", "", "aten::narrow " + x, arg(x), dim, start, length);
  }

  private Tensor cat(int dim, Tensor... ts) {
    MemorySegment[] hs = new MemorySegment[ts.length];
    for (int i = 0; i < ts.length; i++) {
      hs[i] = ts[i].handle;
    }
    return op("aten::cat", "", "aten::cat " + shapes((Object[]) ts), lt.ofTensors(hs), dim);
  }

  private Tensor mul(Tensor a, Tensor b) {
    return op("aten::mul", "Tensor", "aten::mul " + shapes(a, b), arg(a), arg(b));
  }

  private Tensor unary(String name, Tensor x) {
    return op("aten::" + name, "", "aten::" + name + " " + x, arg(x));
  }

  /** A host tensor from Java data, moved to the device with {@code dtype}. */
  private Tensor host(long[] shape, int dtype, java.util.function.Consumer<MemorySegment> fill) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    MemorySegment h = lt.empty(shape, dtype, lt.cpu, 0);
    Tensor t = own(h);
    long bytes = n * elementSize(dtype);
    fill.accept(lt.dataPtr(h).reinterpret(bytes));
    return onCpu() ? t : toDevice(t, dtype);
  }

  private int elementSize(int dtype) {
    if (dtype == lt.i64) {
      return 8;
    }
    if (dtype == lt.bool) {
      return 1;
    }
    if (dtype == lt.f32) {
      return 4;
    }
    if (dtype == lt.bf16 || dtype == lt.f16) {
      return 2;
    }
    throw new TorchException("no element size for " + lt.dtypeName(dtype));
  }

  // ---- TensorRuntime -----------------------------------------------------------------------

  @Override
  public Tensor weight(TensorInfo stored) {
    int code =
        switch (stored.dtype()) {
          case F32 -> lt.f32;
          case F16 -> lt.f16;
          case BF16 -> lt.bf16;
          default ->
              throw new CheckpointException(
                  stored.file()
                      + ": tensor '"
                      + stored.name()
                      + "' has unsupported dtype "
                      + stored.dtype());
        };
    int size = stored.dtype() == DType.F32 ? 4 : 2;
    long[] shape = stored.shape();
    if (stored.data().byteSize() != stored.elementCount() * size) {
      throw new CheckpointException(
          stored.file() + ": tensor '" + stored.name() + "' has the wrong byte size");
    }
    List<Tensor> root = scopes.peekLast();
    List<Tensor> before = scopes.peek();
    // weights live in the root scope until close()
    scopes.push(root);
    try {
      Tensor blob;
      if (stored.data().isNative() && stored.data().address() % size == 0) {
        // Zero-copy over the read-only mapping: never an in-place op on it.
        blob = own(lt.fromBlob(stored.data(), shape, code));
      } else {
        blob =
            host(shape, code, seg -> MemorySegment.copy(stored.data(), 0, seg, 0, seg.byteSize()));
      }
      Tensor w;
      String what;
      if (!onCpu()) {
        w = toDevice(blob, compute);
        what = code == compute ? lt.dtypeName(compute) + " (as stored)" : converted(code);
        drop(root, blob);
      } else if (code != compute) {
        w = toDtype(blob, compute);
        drop(root, blob);
        what = converted(code);
      } else {
        w = blob;
        what = lt.dtypeName(compute) + " (as stored, zero-copy from the memory-mapped file)";
      }
      conversions.put(stored.dtype().name(), what);
      return w;
    } finally {
      scopes.pop();
      if (scopes.peek() != before) {
        throw new IllegalStateException("scope stack corrupted");
      }
    }
  }

  private String converted(int from) {
    boolean widening =
        compute == lt.f32 || (compute == lt.bf16 && from == lt.bf16) || from == compute;
    return lt.dtypeName(compute)
        + (widening ? " (exact widening in libtorch)" : " (narrowed in libtorch; may round)");
  }

  private void drop(List<Tensor> scope, Tensor t) {
    for (int i = scope.size() - 1; i >= 0; i--) {
      if (scope.get(i) == t) {
        scope.remove(i);
        lt.delete(t.handle);
        return;
      }
    }
  }

  @Override
  public Tensor tokens(int[] ids, int rows, int cols) {
    require(ids.length == (long) rows * cols, "tokens", ids.length + " ids", rows + "x" + cols);
    return host(
        new long[] {rows, cols},
        lt.i64,
        seg -> {
          for (int i = 0; i < ids.length; i++) {
            seg.setAtIndex(JAVA_LONG, i, ids[i]);
          }
        });
  }

  @Override
  public Tensor constant(float[] data, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    require(n == data.length, "constant", data.length + " values", Arrays.toString(shape));
    Tensor t =
        host(shape, lt.f32, seg -> MemorySegment.copy(data, 0, seg, JAVA_FLOAT, 0, data.length));
    return toDtype(t, compute);
  }

  @Override
  public Tensor attentionMask(boolean[] allowed, int batch, int queries, int keys) {
    require(
        allowed.length == (long) batch * queries * keys,
        "attentionMask",
        allowed.length,
        batch + "x" + queries + "x" + keys);
    if (keys == queries && causalEquivalent(allowed, batch, queries)) {
      return causalMarker(batch, queries);
    }
    int prefix = keys - queries;
    if (prefix > 0 && onCpu() && prefixOpen(allowed, batch, queries, keys)) {
      boolean[] own = ownKeys(allowed, batch, queries, keys);
      Tensor ownMask =
          causalEquivalent(own, batch, queries)
              ? causalMarker(batch, queries)
              : additiveMask(own, batch, queries);
      // no [B, T, P+T] tensor: attention over a prefix runs as the two parts of ownMask's doc
      return new Tensor(
          MemorySegment.NULL, new long[] {batch, queries, keys}, lt.bool, false, ownMask);
    }
    return host(
        new long[] {batch, 1, queries, keys},
        lt.bool,
        seg -> {
          for (int i = 0; i < allowed.length; i++) {
            seg.set(JAVA_BYTE, i, allowed[i] ? (byte) 1 : (byte) 0);
          }
        });
  }

  private Tensor causalMarker(int batch, int t) {
    return new Tensor(MemorySegment.NULL, new long[] {batch, t, t}, lt.bool, true);
  }

  /** An additive [B, 1, T, K] mask in the compute dtype: 0 where allowed, -inf elsewhere. */
  private Tensor additiveMask(boolean[] allowed, int batch, int queries) {
    int keys = allowed.length / batch / queries;
    Tensor m =
        host(
            new long[] {batch, 1, queries, keys},
            lt.f32,
            seg -> {
              for (int i = 0; i < allowed.length; i++) {
                seg.set(JAVA_FLOAT, 4L * i, allowed[i] ? 0f : Float.NEGATIVE_INFINITY);
              }
            });
    return toDtype(m, attentionDtype);
  }

  /**
   * Whether every query of a [B, T, P+T] mask sees all P prefix keys, except padding queries (which
   * see only themselves): then the prefix part needs no mask.
   */
  static boolean prefixOpen(boolean[] m, int batch, int t, int keys) {
    int p = keys - t;
    for (int r = 0; r < batch; r++) {
      for (int i = 0; i < t; i++) {
        int at = (r * t + i) * keys;
        boolean all = true;
        boolean none = true;
        for (int j = 0; j < p; j++) {
          all &= m[at + j];
          none &= !m[at + j];
        }
        if (all) {
          continue;
        }
        boolean selfOnly = none;
        for (int j = 0; j < t && selfOnly; j++) {
          selfOnly = m[at + p + j] == (j == i);
        }
        if (!selfOnly) {
          return false;
        }
      }
    }
    return true;
  }

  /** The [B, T, T] own-key part of a [B, T, P+T] mask. */
  static boolean[] ownKeys(boolean[] m, int batch, int t, int keys) {
    int p = keys - t;
    boolean[] own = new boolean[batch * t * t];
    for (int ri = 0; ri < batch * t; ri++) {
      System.arraycopy(m, ri * keys + p, own, ri * t, t);
    }
    return own;
  }

  /**
   * Whether every row is plain causal, up to trailing padding queries that see only themselves:
   * then SDPA's {@code is_causal} gives the same outputs at every real position (padding keys come
   * after every real query).
   */
  static boolean causalEquivalent(boolean[] m, int batch, int t) {
    for (int r = 0; r < batch; r++) {
      boolean padding = false;
      for (int i = 0; i < t; i++) {
        int at = (r * t + i) * t;
        boolean causalRow = true;
        boolean selfOnly = true;
        for (int j = 0; j < t; j++) {
          causalRow &= m[at + j] == (j <= i);
          selfOnly &= m[at + j] == (j == i);
        }
        if (!padding && causalRow) {
          continue;
        }
        if (selfOnly) {
          padding = true;
          continue;
        }
        return false;
      }
    }
    return true;
  }

  @Override
  public Tensor withPrefix(Tensor prefix, Tensor x) {
    require(
        prefix.shape.length == 4
            && x.shape.length == 4
            && prefix.dim(0) == 1
            && prefix.dim(1) == x.dim(1)
            && prefix.dim(3) == x.dim(3),
        "withPrefix",
        prefix,
        x);
    Tensor wide =
        op(
            "aten::expand",
            "",
            "aten::expand " + prefix,
            arg(prefix),
            lt.ofInts(x.dim(0), prefix.dim(1), prefix.dim(2), prefix.dim(3)),
            LibTorch.ofBool(false));
    return cat(2, wide, x);
  }

  @Override
  public Tensor embed(Tensor table, Tensor ids) {
    require(table.shape.length == 2 && ids.shape.length == 2, "embed", table, ids);
    return op(
        "aten::embedding",
        "",
        "aten::embedding " + shapes(table, ids),
        arg(table),
        arg(ids),
        -1L,
        LibTorch.ofBool(false),
        LibTorch.ofBool(false));
  }

  @Override
  public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
    require(
        weight.shape.length == 2
            && x.dim(-1) == weight.dim(1)
            && (bias == null || (bias.shape.length == 1 && bias.dim(0) == weight.dim(0))),
        "linear",
        x,
        weight,
        bias);
    return op(
        "aten::linear",
        "",
        "aten::linear " + shapes(x, weight, bias),
        arg(x),
        arg(weight),
        optional(bias));
  }

  @Override
  public Tensor rmsNorm(Tensor x, Tensor weight, double eps) {
    require(weight.shape.length == 1 && x.dim(-1) == weight.dim(0), "rmsNorm", x, weight);
    try (Scope s = scope()) {
      Tensor x32 = toDtype(x, lt.f32);
      Tensor n =
          op(
              "aten::rms_norm",
              "",
              "aten::rms_norm " + x,
              arg(x32),
              lt.ofInts(x.dim(-1)),
              LibTorch.NONE,
              lt.some(LibTorch.ofDouble(eps)));
      return keep(mul(toDtype(n, compute), weight));
    }
  }

  @Override
  public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
    require(
        weight.shape.length == 1
            && x.dim(-1) == weight.dim(0)
            && (bias == null || Arrays.equals(bias.shape, weight.shape)),
        "layerNorm",
        x,
        weight,
        bias);
    try (Scope s = scope()) {
      Tensor n =
          op(
              "aten::layer_norm",
              "",
              "aten::layer_norm " + shapes(x, weight, bias),
              arg(toDtype(x, lt.f32)),
              lt.ofInts(x.dim(-1)),
              optional(toDtype(weight, lt.f32)),
              optional(bias == null ? null : toDtype(bias, lt.f32)),
              LibTorch.ofDouble(eps),
              LibTorch.ofBool(false));
      return keep(toDtype(n, compute));
    }
  }

  @Override
  public Tensor gelu(Tensor x) {
    // x/2 (1 + erf(x/sqrt 2)) in float32, as torch's gelu kernel computes it for every dtype.
    try (Scope s = scope()) {
      Tensor x32 = toDtype(x, lt.f32);
      Tensor erf = unary("erf", mul(x32, scalar((float) (1 / Math.sqrt(2)))));
      Tensor y = mul(mul(x32, scalar(0.5f)), own(lt.add(erf.handle, scalar(1f).handle, "add")));
      return keep(toDtype(y, compute));
    }
  }

  private Tensor scalar(float v) {
    return host(new long[0], lt.f32, seg -> seg.set(JAVA_FLOAT, 0, v));
  }

  @Override
  public Tensor splitHeads(Tensor x, int heads, int headDim) {
    require(x.shape.length == 3 && x.dim(2) == (long) heads * headDim, "splitHeads", x, heads);
    try (Scope s = scope()) {
      return keep(transpose(reshape(x, x.dim(0), x.dim(1), heads, headDim), 1, 2));
    }
  }

  @Override
  public Tensor rope(Tensor x, Tensor cos, Tensor sin) {
    require(
        x.shape.length == 4
            && cos.shape.length == 4
            && Arrays.equals(cos.shape, sin.shape)
            && cos.dim(0) == x.dim(0)
            && cos.dim(1) == 1
            && cos.dim(2) == x.dim(2)
            && cos.dim(3) <= x.dim(3)
            && cos.dim(3) % 2 == 0,
        "rope",
        x,
        cos);
    long d = x.dim(3);
    long r = cos.dim(3);
    try (Scope s = scope()) {
      Tensor xr = r == d ? x : narrow(x, 3, 0, r);
      Tensor x1 = narrow(xr, 3, 0, r / 2);
      Tensor x2 = narrow(xr, 3, r / 2, r / 2);
      Tensor rot = cat(3, unary("neg", x2), x1);
      Tensor out = own(lt.add(mul(xr, cos).handle, mul(rot, sin).handle, "rope add " + x));
      if (r < d) {
        out = cat(3, out, narrow(x, 3, r, d - r));
      }
      return keep(out);
    }
  }

  @Override
  public Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask) {
    require(
        q.shape.length == 4
            && k.shape.length == 4
            && Arrays.equals(k.shape, v.shape)
            && k.dim(0) == q.dim(0)
            && k.dim(3) == q.dim(3)
            && q.dim(1) % k.dim(1) == 0
            && mask.dim(0) == q.dim(0)
            && mask.dim(-2) == q.dim(2)
            && mask.dim(-1) == k.dim(2)
            && mask.ownKeys == null,
        "attention",
        q,
        k,
        v,
        mask);
    if (mask.causal && k.dim(2) != q.dim(2)) {
      throw new TorchException("attention: a causal marker with a prefix needs a real mask");
    }
    try (Scope s = scope()) {
      Tensor o =
          grouped(
              toDtype(q, attentionDtype),
              toDtype(k, attentionDtype),
              toDtype(v, attentionDtype),
              mask,
              false)[0];
      return keep(toDtype(heads(o), compute));
    }
  }

  @Override
  public Tensor attention(
      Tensor q, Tensor prefixK, Tensor prefixV, Tensor k, Tensor v, Tensor mask) {
    require(
        q.shape.length == 4
            && prefixK.shape.length == 4
            && Arrays.equals(prefixK.shape, prefixV.shape)
            && prefixK.dim(0) == 1
            && prefixK.dim(1) == k.dim(1)
            && prefixK.dim(3) == k.dim(3)
            && mask.dim(-1) == prefixK.dim(2) + k.dim(2),
        "attention",
        q,
        prefixK,
        k,
        mask);
    if (mask.ownKeys == null) {
      // the prefix part needs a mask (a sliding window), or the device has no merge: one masked
      // attention over the prefix prepended to every row
      try (Scope s = scope()) {
        return keep(attention(q, withPrefix(prefixK, k), withPrefix(prefixV, v), mask));
      }
    }
    require(
        k.shape.length == 4
            && Arrays.equals(k.shape, v.shape)
            && k.dim(0) == q.dim(0)
            && k.dim(2) == q.dim(2)
            && k.dim(3) == q.dim(3)
            && q.dim(1) % k.dim(1) == 0,
        "attention",
        q,
        k,
        v);
    long b = q.dim(0);
    long nq = q.dim(1);
    long t = q.dim(2);
    long d = q.dim(3);
    long nkv = k.dim(1);
    long g = nq / nkv;
    try (Scope s = scope()) {
      q = toDtype(q, attentionDtype);
      k = toDtype(k, attentionDtype);
      v = toDtype(v, attentionDtype);
      prefixK = toDtype(prefixK, attentionDtype);
      prefixV = toDtype(prefixV, attentionDtype);
      // 1. the rows' queries over the prefix keys, no mask: every query of KV head j, of every row
      //    and group, is one query row of a single attention over that head's P keys (no copy of
      //    the prefix per row or per query head)
      Tensor qp =
          reshape(permute(reshape(q, b, nkv, g, t, d), 1, 0, 2, 3, 4), 1, nkv, b * g * t, d);
      Tensor[] pre = flash(qp, prefixK, prefixV, null, false);
      Tensor o1 = reshape(permute(reshape(pre[0], nkv, b, g, t, d), 1, 0, 2, 3, 4), b, nq, t, d);
      Tensor l1 = reshape(permute(reshape(pre[1], nkv, b, g, t), 1, 0, 2, 3), b, nq, t);
      // 2. the same queries over the rows' own keys, causally (or with the rows' branch mask)
      Tensor[] own = grouped(q, k, v, mask.ownKeys, true);
      // 3. softmax over both key sets = the two outputs weighted by exp(lse_i - lse): with
      //    w1 = sigmoid(lse1 - lse2) and w2 = sigmoid(lse2 - lse1), in float32
      Tensor diff =
          own(
              lt.add(
                  toDtype(l1, lt.f32).handle,
                  unary("neg", toDtype(own[1], lt.f32)).handle,
                  "lse diff"));
      Tensor w1 = reshape(unary("sigmoid", diff), b, nq, t, 1);
      Tensor w2 = reshape(unary("sigmoid", unary("neg", diff)), b, nq, t, 1);
      Tensor merged =
          own(
              lt.add(
                  mul(toDtype(o1, lt.f32), w1).handle,
                  mul(toDtype(own[0], lt.f32), w2).handle,
                  "cascade merge " + shapes(o1, own[0])));
      return keep(heads(toDtype(merged, compute)));
    }
  }

  /** The values of {@code x} as float32, row-major (tests). */
  float[] read(Tensor x) {
    long n = 1;
    for (long d : x.shape) {
      n *= d;
    }
    try (Scope s = scope()) {
      Tensor h = toHost(reshape(toDtype(x, lt.f32), n));
      float[] out = new float[Math.toIntExact(n)];
      MemorySegment.copy(
          lt.dataPtr(h.handle).reinterpret(4L * n), JAVA_FLOAT, 0, out, 0, out.length);
      return out;
    }
  }

  /** [B, N, T, D] -> [B, T, N*D]. */
  private Tensor heads(Tensor o) {
    return reshape(transpose(o, 1, 2), o.dim(0), o.dim(2), o.dim(1) * o.dim(3));
  }

  private Tensor permute(Tensor x, long... dims) {
    return op("aten::permute", "", "aten::permute " + x, arg(x), lt.ofInts(dims));
  }

  private Tensor expand(Tensor x, long... shape) {
    return op(
        "aten::expand",
        "",
        "aten::expand " + x + " -> " + Arrays.toString(shape),
        arg(x),
        lt.ofInts(shape),
        LibTorch.ofBool(false));
  }

  /**
   * Attention of q [B, Nq, T, D] over k/v [B, Nkv, S, D] with grouped KV heads, never repeating a
   * KV head in memory: with a mask, the G query heads of a KV head become G*T query rows of it (the
   * mask repeated over them); causal, SDPA's {@code enable_gqa} on CUDA and one causal call per
   * query group on the CPU, whose kernels take no grouped heads. Returns the output [B, Nq, T, D]
   * and, with {@code lse} (CPU only), the float32 log-sum-exp [B, Nq, T] of every query's scaled
   * scores.
   */
  private Tensor[] grouped(Tensor q, Tensor k, Tensor v, Tensor mask, boolean lse) {
    long b = q.dim(0);
    long nq = q.dim(1);
    long t = q.dim(2);
    long d = q.dim(3);
    long nkv = k.dim(1);
    long s = k.dim(2);
    long g = nq / nkv;
    boolean causal = mask.causal;
    if (g == 1) {
      return attend(q, k, v, causal ? null : mask, causal, false, lse);
    }
    if (causal && !onCpu()) {
      return attend(q, k, v, null, true, true, lse);
    }
    Tensor q5 = reshape(q, b, nkv, g, t, d);
    if (causal) {
      Tensor[] outs = new Tensor[(int) g];
      Tensor[] lses = new Tensor[(int) g];
      for (int i = 0; i < g; i++) {
        Tensor qi = reshape(narrow(q5, 2, i, 1), b, nkv, t, d);
        Tensor[] r = attend(qi, k, v, null, true, false, lse);
        outs[i] = reshape(r[0], b, nkv, 1, t, d);
        lses[i] = lse ? reshape(r[1], b, nkv, 1, t) : null;
      }
      Tensor o = reshape(cat(2, outs), b, nq, t, d);
      return new Tensor[] {o, lse ? reshape(cat(2, lses), b, nq, t) : null};
    }
    long[] ms = mask.shape;
    Tensor m =
        reshape(expand(reshape(mask, ms[0], 1, 1, t, s), ms[0], 1, g, t, s), ms[0], 1, g * t, s);
    Tensor[] r = attend(reshape(q5, b, nkv, g * t, d), k, v, m, false, false, lse);
    return new Tensor[] {reshape(r[0], b, nq, t, d), lse ? reshape(r[1], b, nq, t) : null};
  }

  /**
   * One attention call: {@code aten::_scaled_dot_product_flash_attention_for_cpu} when the
   * log-sum-exp is wanted (CPU), else {@code aten::scaled_dot_product_attention}.
   */
  private Tensor[] attend(
      Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, boolean gqa, boolean lse) {
    if (lse) {
      return flash(q, k, v, mask, causal);
    }
    Tensor out =
        lt.withSingleThreadedBlas(
            () ->
                op(
                    "aten::scaled_dot_product_attention",
                    "",
                    "aten::scaled_dot_product_attention " + shapes(q, k, v, mask),
                    arg(q),
                    arg(k),
                    arg(v),
                    optional(mask),
                    LibTorch.ofDouble(0.0),
                    LibTorch.ofBool(causal),
                    LibTorch.NONE,
                    LibTorch.ofBool(gqa)));
    return new Tensor[] {out, null};
  }

  /**
   * The CPU flash attention kernel, which also returns the float32 log-sum-exp [B, N, T] of each
   * query's scaled scores (plus the additive mask). q/k/v have the same head count.
   */
  private Tensor[] flash(Tensor q, Tensor k, Tensor v, Tensor additiveMask, boolean causal) {
    if (!onCpu()) {
      throw new TorchException("attention: the log-sum-exp kernel is the CPU's");
    }
    long[] r =
        lt.withSingleThreadedBlas(
            () ->
                lt.call(
                    "aten::_scaled_dot_product_flash_attention_for_cpu",
                    "",
                    2,
                    new long[] {
                      arg(q),
                      arg(k),
                      arg(v),
                      LibTorch.ofDouble(0.0),
                      LibTorch.ofBool(causal),
                      optional(additiveMask),
                      LibTorch.NONE
                    },
                    "aten::_scaled_dot_product_flash_attention_for_cpu "
                        + shapes(q, k, v, additiveMask)));
    return new Tensor[] {own(r[0]), own(r[1])};
  }

  @Override
  public Tensor swiglu(Tensor gate, Tensor up) {
    require(Arrays.equals(gate.shape, up.shape), "swiglu", gate, up);
    try (Scope s = scope()) {
      return keep(mul(unary("silu", gate), up));
    }
  }

  @Override
  public Tensor add(Tensor a, Tensor b) {
    require(Arrays.equals(a.shape, b.shape), "add", a, b);
    return own(lt.add(a.handle, b.handle, "add " + shapes(a, b)));
  }

  @Override
  public Tensor rows(Tensor x, int[] flatIndex) {
    long h = x.dim(-1);
    long n = x.shape.length == 2 ? x.dim(0) : x.dim(0) * x.dim(1);
    for (int i : flatIndex) {
      require(i >= 0 && i < n, "rows", x, "index " + i);
    }
    try (Scope s = scope()) {
      Tensor flat = reshape(x, n, h);
      Tensor idx = index(flatIndex);
      return keep(
          op("aten::index_select", "", "aten::index_select " + flat, arg(flat), 0L, arg(idx)));
    }
  }

  private Tensor index(int[] values) {
    return host(
        new long[] {values.length},
        lt.i64,
        seg -> {
          for (int i = 0; i < values.length; i++) {
            seg.setAtIndex(JAVA_LONG, i, values[i]);
          }
        });
  }

  @Override
  public TargetScores scoreTargets(Tensor hidden, Tensor head, int[] targets, int chunkRows) {
    require(
        hidden.shape.length == 2
            && head.shape.length == 2
            && hidden.dim(1) == head.dim(1)
            && hidden.dim(0) == targets.length,
        "scoreTargets",
        hidden,
        head,
        targets.length + " targets");
    long vocab = head.dim(0);
    for (int t : targets) {
      require(t >= 0 && t < vocab, "scoreTargets", "target " + t, "vocabulary " + vocab);
    }
    int n = targets.length;
    double[] lp = new double[n];
    int[] am = new int[n];
    for (int r0 = 0; r0 < n; r0 += chunkRows) {
      int r1 = Math.min(n, r0 + chunkRows);
      int m = r1 - r0;
      try (Scope s = scope()) {
        Tensor h = narrow(hidden, 0, r0, m);
        Tensor logits = toDtype(linear(h, head, null), lt.f32);
        Tensor lsm =
            op(
                "aten::_log_softmax",
                "",
                "aten::_log_softmax " + logits,
                arg(logits),
                1L,
                LibTorch.ofBool(false));
        int[] chunk = Arrays.copyOfRange(targets, r0, r1);
        Tensor idx = reshape(index(chunk), m, 1);
        Tensor picked =
            toHost(
                op(
                    "aten::gather",
                    "",
                    "aten::gather " + lsm,
                    arg(lsm),
                    1L,
                    arg(idx),
                    LibTorch.ofBool(false)));
        Tensor best =
            toHost(
                op(
                    "aten::argmax",
                    "",
                    "aten::argmax " + logits,
                    arg(logits),
                    lt.some(1L),
                    LibTorch.ofBool(false)));
        MemorySegment p = lt.dataPtr(picked.handle).reinterpret(4L * m);
        MemorySegment bi = lt.dataPtr(best.handle).reinterpret(8L * m);
        for (int i = 0; i < m; i++) {
          lp[r0 + i] = p.getAtIndex(JAVA_FLOAT, i);
          am[r0 + i] = (int) bi.getAtIndex(JAVA_LONG, i);
        }
      }
    }
    return new TargetScores(lp, am);
  }

  @Override
  public float[] toFloats(Tensor x) {
    long n = 1;
    for (long d : x.shape) {
      n *= d;
    }
    require(n <= Integer.MAX_VALUE, "toFloats", x, n + " elements");
    try (Scope s = scope()) {
      // reshape to 1-D, then clone: a dense (stride 1) copy whatever x's strides were
      Tensor flat = reshape(x, n);
      Tensor dense = op("aten::clone", "", "aten::clone " + flat, arg(flat), LibTorch.NONE);
      Tensor host = toHost(toDtype(dense, lt.f32));
      float[] out = new float[(int) n];
      if (n > 0) {
        MemorySegment.copy(
            lt.dataPtr(host.handle).reinterpret(4L * n), JAVA_FLOAT, 0, out, 0, (int) n);
      }
      return out;
    }
  }

  @Override
  public long[] deviceMemoryBytes() {
    return onCpu() ? null : lt.cudaMemory();
  }

  @Override
  public long freeMemoryBytes() {
    if (!onCpu()) {
      long[] m = lt.cudaMemory();
      if (m != null) {
        return m[0];
      }
    }
    return HostMemory.availableBytes();
  }

  @Override
  public double measureMatmulPeak(int n, int iterations) {
    try (Scope s = scope()) {
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
      float[] data = new float[n * n];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) (rnd.nextDouble() * 2 - 1);
      }
      Tensor a = constant(data, n, n);
      Tensor b = constant(data, n, n);
      double best = 0;
      for (int i = 0; i < iterations + 2; i++) {
        try (Scope it = scope()) {
          long t0 = System.nanoTime();
          Tensor c = op("aten::mm", "", "aten::mm", arg(a), arg(b));
          toHost(narrow(narrow(c, 0, 0, 1), 1, 0, 1)); // waits for asynchronous devices
          long dt = System.nanoTime() - t0;
          if (i >= 2) {
            best = Math.max(best, 2.0 * n * n * (double) n / (dt / 1e9));
          }
        }
      }
      return best;
    }
  }

  @Override
  public void close() {
    while (!scopes.isEmpty()) {
      free(scopes.pop());
    }
  }
}
