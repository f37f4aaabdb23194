package evalh.engine.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Hand-written FFM bindings to libtorch's stable C ABI: the {@code aoti_torch_*} functions of
 * {@code shim.h} and, from 2.10, {@code torch_call_dispatcher}. This class is the op table: every
 * native symbol evalh uses is bound here, with the libtorch version it needs, and nowhere else.
 *
 * <p>Version gate: {@code aoti_torch_abi_version()} is read first, and a libtorch older than 2.10
 * is refused before any other symbol is looked up. Symbols added later (2.13: the exception text
 * and a libtorch-allocated optional box) are bound only when the version has them.
 *
 * <p>Calling conventions (see the runtime package documentation for the traps):
 *
 * <ul>
 *   <li>every function returns an error code; {@link #check} turns a non-zero code into a {@link
 *       TorchException} naming the op and its argument shapes;
 *   <li>dtype and device codes come from the getter functions, never from constants;
 *   <li>{@code torch_call_dispatcher} takes a stack of 64-bit {@code StableIValue}s: tensors are
 *       handles the dispatcher takes ownership of (so a new handle is passed for each), ints and
 *       doubles are their bits, bools the low byte, None is 0, lists are libtorch-allocated lists,
 *       and an optional with a value is a pointer to a heap cell libtorch frees;
 *   <li>Scalar arguments cannot cross the dispatcher before 2.14, so ops with a Scalar (add's
 *       alpha) use a typed shim ({@code aoti_torch_aten_subtract_Tensor} with alpha -1).
 * </ul>
 */
final class LibTorch {
  /** The stable ABI this binding is written against (2.10.0), passed to the dispatcher. */
  static final long BUILD_VERSION = version(2, 10);

  static final long V2_13 = version(2, 13);

  private static final Linker LINKER = Linker.nativeLinker();
  private static final Map<Path, LibTorch> LOADED = new HashMap<>();

  final LibTorchLocation location;
  final long abiVersion;
  final boolean cuda;

  final int f32;
  final int f16;
  final int bf16;
  final int i64;
  final int bool;
  final int cpu;
  final int cudaDevice;

  private final SymbolLookup lookup;
  private final MethodHandle deleteTensor;
  private final MethodHandle newHandle;
  private final MethodHandle emptyStrided;
  private final MethodHandle fromBlob;
  private final MethodHandle dataPtr;
  private final MethodHandle dim;
  private final MethodHandle sizes;
  private final MethodHandle dtype;
  private final MethodHandle subtract;
  private final MethodHandle dispatcher;
  private final MethodHandle newList;
  private final MethodHandle listPush;
  private final MethodHandle newStableIValue; // 2.13+
  private final MethodHandle exceptionWhat; // 2.13+
  private final MethodHandle malloc;
  private final MethodHandle blasThreadsLocal; // OpenBLAS builds only

  private LibTorch(LibTorchLocation location, SymbolLookup lookup, long abi) {
    this.location = location;
    this.lookup = lookup;
    this.abiVersion = abi;
    this.f32 = getter("aoti_torch_dtype_float32");
    this.f16 = getter("aoti_torch_dtype_float16");
    this.bf16 = getter("aoti_torch_dtype_bfloat16");
    this.i64 = getter("aoti_torch_dtype_int64");
    this.bool = getter("aoti_torch_dtype_bool");
    this.cpu = getter("aoti_torch_device_type_cpu");
    this.cudaDevice = getter("aoti_torch_device_type_cuda");
    this.deleteTensor = fn("aoti_torch_delete_tensor_object", ADDRESS);
    this.newHandle = fn("aoti_torch_new_tensor_handle", ADDRESS, ADDRESS);
    this.emptyStrided =
        fn(
            "aoti_torch_empty_strided",
            JAVA_LONG,
            ADDRESS,
            ADDRESS,
            JAVA_INT,
            JAVA_INT,
            JAVA_INT,
            ADDRESS);
    this.fromBlob =
        fn(
            "aoti_torch_create_tensor_from_blob",
            ADDRESS,
            JAVA_LONG,
            ADDRESS,
            ADDRESS,
            JAVA_LONG,
            JAVA_INT,
            JAVA_INT,
            JAVA_INT,
            ADDRESS);
    this.dataPtr = fn("aoti_torch_get_data_ptr", ADDRESS, ADDRESS);
    this.dim = fn("aoti_torch_get_dim", ADDRESS, ADDRESS);
    this.sizes = fn("aoti_torch_get_sizes", ADDRESS, ADDRESS);
    this.dtype = fn("aoti_torch_get_dtype", ADDRESS, ADDRESS);
    this.subtract = fn("aoti_torch_aten_subtract_Tensor", ADDRESS, ADDRESS, JAVA_DOUBLE, ADDRESS);
    this.dispatcher = fn("torch_call_dispatcher", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    this.newList = fn("torch_new_list_reserve_size", JAVA_LONG, ADDRESS);
    this.listPush = fn("torch_list_push_back", ADDRESS, JAVA_LONG);
    this.newStableIValue = abi >= V2_13 ? fn("torch_new_stable_ivalue", ADDRESS) : null;
    this.exceptionWhat =
        abi >= V2_13
            ? optional("torch_exception_get_what_without_backtrace")
                .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.of(ADDRESS)))
                .orElse(null)
            : null;
    this.malloc =
        LINKER.downcallHandle(
            LINKER.defaultLookup().find("malloc").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    this.cuda = optional("cudaGetDeviceCount").isPresent();
    this.blasThreadsLocal =
        optional("openblas_set_num_threads_local")
            .map(x -> LINKER.downcallHandle(x, FunctionDescriptor.of(JAVA_INT, JAVA_INT)))
            .orElse(null);
  }

  /** {@code major << 56 | minor << 48}, libtorch's TORCH_ABI_VERSION layout. */
  static long version(int major, int minor) {
    return ((long) major << 56) | ((long) minor << 48);
  }

  /** "2.10" from an ABI version. */
  static String versionString(long abi) {
    return ((abi >>> 56) & 0xff) + "." + ((abi >>> 48) & 0xff) + "." + ((abi >>> 40) & 0xff);
  }

  /**
   * Loads the libtorch of {@code loc} once per process and checks its version: libtorch older than
   * 2.10 (no stable dispatcher) is refused with a message that says what is needed.
   */
  static synchronized LibTorch load(LibTorchLocation loc) {
    LibTorch lt = LOADED.get(loc.library());
    if (lt != null) {
      return lt;
    }
    shortOpenBlasSpin();
    SymbolLookup lookup;
    try {
      lookup = SymbolLookup.libraryLookup(loc.library(), Arena.global());
    } catch (IllegalArgumentException e) {
      throw new TorchException(
          "cannot load libtorch " + loc.library() + " (" + loc.source() + "): " + e.getMessage(),
          e);
    }
    Optional<MemorySegment> abiFn = lookup.find("aoti_torch_abi_version");
    if (abiFn.isEmpty()) {
      throw new TorchException(tooOld(loc, "it has no aoti_torch_abi_version, so it predates 2.5"));
    }
    long abi;
    try {
      abi = (long) LINKER.downcallHandle(abiFn.get(), FunctionDescriptor.of(JAVA_LONG)).invoke();
    } catch (Throwable t) {
      throw new TorchException("cannot call aoti_torch_abi_version in " + loc.library(), t);
    }
    if (Long.compareUnsigned(abi, BUILD_VERSION) < 0) {
      throw new TorchException(tooOld(loc, "it is " + versionString(abi)));
    }
    if (lookup.find("torch_call_dispatcher").isEmpty()) {
      throw new TorchException(
          tooOld(loc, "it reports " + versionString(abi) + " but has no torch_call_dispatcher"));
    }
    lt = new LibTorch(loc, lookup, abi);
    LOADED.put(loc.library(), lt);
    return lt;
  }

  /**
   * OpenBLAS's value of {@code OPENBLAS_THREAD_TIMEOUT} when the user sets none: its worker threads
   * spin for 2^4 cycles after a matmul instead of the default 2^28 (about 0.1 s). The bundled
   * libtorch links a pthreads OpenBLAS beside libtorch's own OpenMP threads; with the default, the
   * BLAS threads kept the cores busy after every {@code linear}, and the element-wise ops that
   * follow (RoPE, RMSNorm, adds) ran 5-15x slower than in DJL's libtorch.
   */
  static final String OPENBLAS_THREAD_TIMEOUT = "4";

  /**
   * Sets {@code OPENBLAS_THREAD_TIMEOUT} in this process's environment, unless it is set, before
   * libtorch (and with it OpenBLAS, which reads it once when it is loaded) is loaded. No effect on
   * a libtorch without OpenBLAS.
   */
  private static void shortOpenBlasSpin() {
    Optional<MemorySegment> setenv = LINKER.defaultLookup().find("setenv");
    if (setenv.isEmpty()) {
      return;
    }
    try (Arena a = Arena.ofConfined()) {
      int ignored =
          (int)
              LINKER
                  .downcallHandle(
                      setenv.get(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT))
                  .invokeExact(
                      a.allocateFrom("OPENBLAS_THREAD_TIMEOUT"),
                      a.allocateFrom(OPENBLAS_THREAD_TIMEOUT),
                      0); // 0: a value the user set wins
    } catch (Throwable t) {
      throw new TorchException("cannot set OPENBLAS_THREAD_TIMEOUT: " + t, t);
    }
  }

  private static String tooOld(LibTorchLocation loc, String why) {
    return "libtorch "
        + loc.library()
        + " ("
        + loc.source()
        + ") is too old: "
        + why
        + ". evalh needs libtorch >= 2.10 (its stable C ABI with torch_call_dispatcher):"
        + " install PyTorch >= 2.10 or point --torch / EVALH_TORCH at one, or unset them to use"
        + " the bundled CPU build";
  }

  private Optional<MemorySegment> optional(String name) {
    return lookup.find(name);
  }

  private MemorySegment symbol(String name) {
    return lookup
        .find(name)
        .orElseThrow(
            () ->
                new TorchException(
                    "libtorch "
                        + location.library()
                        + " ("
                        + versionString(abiVersion)
                        + ") lacks the stable-ABI function "
                        + name));
  }

  private int getter(String name) {
    try {
      return (int)
          LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(JAVA_INT)).invokeExact();
    } catch (TorchException e) {
      throw e;
    } catch (Throwable t) {
      throw new TorchException("cannot call " + name, t);
    }
  }

  private MethodHandle fn(String name, java.lang.foreign.MemoryLayout... args) {
    return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(JAVA_INT, args));
  }

  /** The text of libtorch's last error on this thread (2.13+), or a pointer to stderr. */
  String lastError() {
    if (exceptionWhat != null) {
      try {
        MemorySegment s = (MemorySegment) exceptionWhat.invokeExact();
        if (!s.equals(MemorySegment.NULL)) {
          return s.reinterpret(1 << 16).getString(0);
        }
      } catch (Throwable t) {
        return "(no message: " + t + ")";
      }
    }
    return "libtorch printed its message to stderr (libtorch < 2.13 returns only an error code)";
  }

  /** Throws naming {@code what} when {@code code} is not 0. */
  void check(int code, String what) {
    if (code != 0) {
      throw new TorchException(what + " failed in libtorch (error " + code + "): " + lastError());
    }
  }

  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new TorchException("native call failed: " + t, t);
  }

  // ---- tensors -------------------------------------------------------------------------------

  void delete(MemorySegment h) {
    try {
      check((int) deleteTensor.invokeExact(h), "aoti_torch_delete_tensor_object");
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** A new owning handle to the same tensor (the dispatcher consumes the handles it is given). */
  MemorySegment newHandle(MemorySegment h) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      check((int) newHandle.invokeExact(h, out), "aoti_torch_new_tensor_handle");
      return out.get(ADDRESS, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  MemorySegment empty(long[] shape, int dtypeCode, int deviceType, int deviceIndex) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment sz = a.allocateFrom(JAVA_LONG, shape);
      MemorySegment st = a.allocateFrom(JAVA_LONG, contiguousStrides(shape));
      MemorySegment out = a.allocate(ADDRESS);
      check(
          (int)
              emptyStrided.invokeExact(
                  (long) shape.length, sz, st, dtypeCode, deviceType, deviceIndex, out),
          "aoti_torch_empty_strided " + java.util.Arrays.toString(shape));
      return out.get(ADDRESS, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** A CPU tensor over memory evalh owns (or a read-only mapping): no copy, never written. */
  MemorySegment fromBlob(MemorySegment data, long[] shape, int dtypeCode) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment sz = a.allocateFrom(JAVA_LONG, shape);
      MemorySegment st = a.allocateFrom(JAVA_LONG, contiguousStrides(shape));
      MemorySegment out = a.allocate(ADDRESS);
      check(
          (int) fromBlob.invokeExact(data, (long) shape.length, sz, st, 0L, dtypeCode, cpu, 0, out),
          "aoti_torch_create_tensor_from_blob " + java.util.Arrays.toString(shape));
      return out.get(ADDRESS, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  MemorySegment dataPtr(MemorySegment h) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      check((int) dataPtr.invokeExact(h, out), "aoti_torch_get_data_ptr");
      return out.get(ADDRESS, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  long[] shape(MemorySegment h) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment n = a.allocate(JAVA_LONG);
      check((int) dim.invokeExact(h, n), "aoti_torch_get_dim");
      int d = (int) n.get(JAVA_LONG, 0);
      MemorySegment p = a.allocate(ADDRESS);
      check((int) sizes.invokeExact(h, p), "aoti_torch_get_sizes");
      MemorySegment arr = p.get(ADDRESS, 0).reinterpret(8L * d);
      return arr.toArray(JAVA_LONG);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  int dtype(MemorySegment h) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(JAVA_INT);
      check((int) dtype.invokeExact(h, out), "aoti_torch_get_dtype");
      return out.get(JAVA_INT, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** {@code a + b} as {@code a - (-1) b}: add.Tensor's Scalar alpha cannot cross the dispatcher. */
  MemorySegment add(MemorySegment a, MemorySegment b, String what) {
    try (Arena ar = Arena.ofConfined()) {
      MemorySegment out = ar.allocate(ADDRESS);
      check((int) subtract.invokeExact(a, b, -1.0, out), what);
      return out.get(ADDRESS, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  // ---- the dispatcher ------------------------------------------------------------------------

  /** None, for optional arguments. */
  static final long NONE = 0L;

  static long ofDouble(double d) {
    return Double.doubleToRawLongBits(d);
  }

  static long ofBool(boolean b) {
    return b ? 1L : 0L;
  }

  /** A {@code Device} value: type in the upper 32 bits, index in the lower. */
  static long ofDevice(int type, int index) {
    return ((long) (byte) type << 32) | (index & 0xffffffffL);
  }

  /** An {@code int[]} argument: a libtorch-allocated list the dispatcher frees. */
  long ofInts(long... values) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      check((int) newList.invokeExact((long) values.length, out), "torch_new_list_reserve_size");
      MemorySegment list = out.get(ADDRESS, 0);
      for (long v : values) {
        check((int) listPush.invokeExact(list, v), "torch_list_push_back");
      }
      return list.address();
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** A {@code Tensor[]} argument; each element gets a new handle (the list owns them). */
  long ofTensors(MemorySegment... handles) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(ADDRESS);
      check((int) newList.invokeExact((long) handles.length, out), "torch_new_list_reserve_size");
      MemorySegment list = out.get(ADDRESS, 0);
      for (MemorySegment h : handles) {
        check((int) listPush.invokeExact(list, newHandle(h).address()), "torch_list_push_back");
      }
      return list.address();
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * An optional argument with a value: a pointer to a heap cell holding it, which libtorch frees
   * with {@code delete} after reading. From 2.13 libtorch allocates the cell ({@code
   * torch_new_stable_ivalue}); before, it is malloc'd, which glibc's {@code operator delete}
   * releases with {@code free}.
   */
  long some(long value) {
    try {
      MemorySegment cell;
      if (newStableIValue != null) {
        try (Arena a = Arena.ofConfined()) {
          MemorySegment out = a.allocate(ADDRESS);
          check((int) newStableIValue.invokeExact(out), "torch_new_stable_ivalue");
          cell = out.get(ADDRESS, 0);
        }
      } else {
        cell = (MemorySegment) malloc.invokeExact(8L);
        if (cell.equals(MemorySegment.NULL)) {
          throw new OutOfMemoryError("malloc(8) failed");
        }
      }
      cell.reinterpret(8).set(JAVA_LONG, 0, value);
      return cell.address();
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Calls {@code op.overload} with {@code args} (already encoded; tensor handles must be new
   * handles, which the dispatcher consumes) and returns its {@code returns} results: new owning
   * tensor handles for Tensor returns.
   */
  long[] call(String op, String overload, int returns, long[] args, String what) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment stack = a.allocate(JAVA_LONG, Math.max(args.length, returns));
      MemorySegment.copy(args, 0, stack, JAVA_LONG, 0, args.length);
      int code =
          (int)
              dispatcher.invokeExact(
                  a.allocateFrom(op), a.allocateFrom(overload), stack, BUILD_VERSION);
      check(code, what);
      long[] out = new long[returns];
      MemorySegment.copy(stack, JAVA_LONG, 0, out, 0, returns);
      return out;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static long[] contiguousStrides(long[] shape) {
    long[] st = new long[shape.length];
    long s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      st[i] = s;
      s *= Math.max(1, shape[i]);
    }
    return st;
  }

  /** "float32" etc. for a dtype code. */
  String dtypeName(int code) {
    if (code == f32) {
      return "float32";
    }
    if (code == bf16) {
      return "bfloat16";
    }
    if (code == f16) {
      return "float16";
    }
    if (code == i64) {
      return "int64";
    }
    if (code == bool) {
      return "bool";
    }
    return "dtype#" + code;
  }

  /**
   * Runs {@code op} with OpenBLAS single-threaded on this thread, for kernels that call BLAS from
   * inside their own OpenMP loop (the CPU flash attention): a pthreads OpenBLAS would otherwise
   * start its own threads there ("Detect OpenMP Loop and this application may hang"). No-op for
   * libtorch builds without OpenBLAS (MKL).
   */
  <R> R withSingleThreadedBlas(java.util.function.Supplier<R> op) {
    if (blasThreadsLocal == null) {
      return op.get();
    }
    int before;
    try {
      before = (int) blasThreadsLocal.invokeExact(1);
    } catch (Throwable t) {
      throw rethrow(t);
    }
    try {
      return op.get();
    } finally {
      try {
        int ignored = (int) blasThreadsLocal.invokeExact(before);
      } catch (Throwable t) {
        throw rethrow(t);
      }
    }
  }

  /** Number of CUDA devices this libtorch sees (0 for a CPU build). */
  int cudaDevices() {
    int[] r = cudaDeviceCount();
    return r[0] == 0 ? r[1] : 0;
  }

  /**
   * {@code cudaGetDeviceCount}: {code, count}; code is the CUDA runtime's error code (0 success),
   * -1 for a CPU build or when the call itself failed.
   */
  int[] cudaDeviceCount() {
    if (!cuda) {
      return new int[] {-1, 0};
    }
    try (Arena a = Arena.ofConfined()) {
      MethodHandle h =
          LINKER.downcallHandle(
              optional("cudaGetDeviceCount").orElseThrow(),
              FunctionDescriptor.of(JAVA_INT, ADDRESS));
      MemorySegment n = a.allocate(JAVA_INT);
      int code = (int) h.invokeExact(n);
      return new int[] {code, code == 0 ? n.get(JAVA_INT, 0) : 0};
    } catch (Throwable t) {
      return new int[] {-1, 0};
    }
  }

  /** {@code cudaGetErrorString(code)}, or null where the CUDA runtime does not say. */
  String cudaErrorString(int code) {
    Optional<MemorySegment> f = optional("cudaGetErrorString");
    if (f.isEmpty()) {
      return null;
    }
    try {
      MethodHandle h = LINKER.downcallHandle(f.get(), FunctionDescriptor.of(ADDRESS, JAVA_INT));
      MemorySegment p = (MemorySegment) h.invokeExact(code);
      return p.equals(MemorySegment.NULL) ? null : p.reinterpret(1024).getString(0);
    } catch (Throwable t) {
      return null;
    }
  }

  /** Free and total bytes of the current CUDA device, or null without CUDA. */
  long[] cudaMemory() {
    Optional<MemorySegment> f = optional("cudaMemGetInfo");
    if (f.isEmpty()) {
      return null;
    }
    try (Arena a = Arena.ofConfined()) {
      MethodHandle h =
          LINKER.downcallHandle(f.get(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
      MemorySegment free = a.allocate(JAVA_LONG);
      MemorySegment total = a.allocate(JAVA_LONG);
      int code = (int) h.invokeExact(free, total);
      return code == 0 ? new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)} : null;
    } catch (Throwable t) {
      return null;
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "libtorch %s at %s (%s%s)",
        versionString(abiVersion),
        location.library().getParent(),
        location.source(),
        cuda ? ", CUDA" : ", CPU only");
  }
}
