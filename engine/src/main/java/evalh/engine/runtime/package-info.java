/**
 * Tensor runtimes: how the forward pass's tensor operations are executed.
 *
 * <h2>Workflow</h2>
 *
 * <p>{@link evalh.engine.model.Transformer} is written once against {@link
 * evalh.engine.runtime.TensorRuntime}, the narrow set of operations a decoder forward pass needs
 * (embedding, linear, RMSNorm/LayerNorm, RoPE, attention, activations, log-softmax at scored
 * positions); {@link evalh.engine.encoder.BertModel} uses the same ops under a padding mask, plus
 * {@code toFloats} to read its token states back to the host. The one implementation is {@link
 * evalh.engine.runtime.TorchRuntime}: libtorch's stable C ABI called through Java's FFM API. {@link
 * evalh.engine.runtime.Runtimes#open} opens it on the libtorch that {@link
 * evalh.engine.runtime.LibTorchLocator} finds ({@code --torch}/{@code EVALH_TORCH}, python3's torch
 * &gt;= 2.10, else the CPU build from Maven Central extracted once to {@code ~/.cache/evalh});
 * {@code LibTorch} binds its functions (the op table) after checking its version.
 *
 * <p>Every tensor made inside a {@link evalh.engine.runtime.TensorRuntime.Scope} is freed when it
 * closes, unless {@link evalh.engine.runtime.TensorRuntime#keep kept} into the enclosing scope;
 * weights live until the runtime closes. {@link evalh.engine.runtime.MatmulPeak} is the bench-side
 * measurement of the machine's matmul throughput, outside the forward pass's interface.
 *
 * <h2>Traps of libtorch's stable ABI (all handled in {@code LibTorch} and {@code TorchRuntime})
 * </h2>
 *
 * <ul>
 *   <li><b>Version.</b> {@code torch_call_dispatcher} exists from 2.10. The version is read with
 *       {@code aoti_torch_abi_version()} before any other symbol, and an older libtorch is refused
 *       with a message saying what is needed. Symbols of later versions (2.13's exception text and
 *       optional cell) are bound only when present.
 *   <li><b>No Scalar arguments before 2.14.</b> Ops are called through Tensor overloads; {@code
 *       add.Tensor} has a Scalar {@code alpha} even at its default, so addition is the typed shim
 *       {@code aoti_torch_aten_subtract_Tensor(a, b, alpha=-1)}; constants are 0-dim tensors.
 *   <li><b>Optional arguments</b> are None (0). An optional with a value is a pointer to a heap
 *       cell that libtorch frees with {@code delete}: before 2.13 it is malloc'd (glibc's {@code
 *       operator delete} is {@code free}), from 2.13 libtorch allocates it.
 *   <li><b>The dispatcher takes ownership</b> of every tensor handle on its stack: each argument is
 *       a new handle ({@code aoti_torch_new_tensor_handle}); results are new handles owned by the
 *       current scope. Lists ({@code int[]}, {@code Tensor[]}) are libtorch-allocated and consumed.
 *   <li><b>dtype and device codes</b> come from the getter functions ({@code
 *       aoti_torch_dtype_bfloat16()}, ...), never from constants.
 *   <li><b>Errors.</b> Before 2.13 libtorch prints its message to stderr and returns only a code;
 *       every non-zero code becomes a {@link evalh.engine.runtime.TorchException} naming the op and
 *       its argument shapes. Shapes are checked in Java first, so bad input never reaches native
 *       code that could crash the JVM.
 *   <li><b>Zero-copy weights are read-only.</b> A weight stored in the compute dtype is a tensor
 *       over the read-only memory map of the safetensors file; any in-place op on it would
 *       segfault, so none is ever applied to a weight.
 *   <li><b>Attention.</b> {@code scaled_dot_product_attention} with {@code enable_gqa} and an
 *       {@code attn_mask} silently falls back to the O(T²) math kernel, and the CPU kernels take no
 *       grouped heads; KV heads are never repeated in memory instead: with a mask, the G query
 *       heads of a KV head become G*T query rows of it (the mask repeated over them); causal on the
 *       CPU, one causal call per query group. A batch without a packed tree or a prefix is passed
 *       as {@code is_causal} with no mask.
 *   <li><b>Shared prefixes (cascade attention).</b> Rows that continue a cached prefix attend to
 *       the prefix keys and their own keys. On the CPU, when every real query sees the whole prefix
 *       (no sliding window cuts it), this is two attentions: all rows' queries over the prefix's
 *       keys with no mask (one attention per KV head, no copy of the prefix per row), and over
 *       their own keys causally (or with the rows' branch mask), merged by their log-sum-exp
 *       ({@code _scaled_dot_product_flash_attention_for_cpu} returns it) in float32: {@code o =
 *       sigmoid(l1 - l2) o1 + sigmoid(l2 - l1) o2}. Padding queries see the prefix there, which
 *       changes nothing real (no real query sees a padding key). Elsewhere (CUDA, a window) the
 *       prefix is prepended to every row and one masked attention runs.
 *   <li><b>OpenBLAS inside OpenMP.</b> The bundled build links a pthreads OpenBLAS; CPU flash
 *       attention calls BLAS from its own OpenMP loop, so OpenBLAS is made single-threaded on the
 *       calling thread around it. Its workers also spin for 2^28 cycles (about 0.1 s) after each
 *       matmul by default, holding the cores the element-wise ops after every {@code linear} need
 *       (RoPE, RMSNorm and adds ran 5-10x slower than in DJL's OpenMP-only libtorch 2.7.1): {@code
 *       LibTorch.load} sets {@code OPENBLAS_THREAD_TIMEOUT=4} before libtorch loads, unless the
 *       environment sets it.
 *   <li><b>Precision as HF.</b> RMSNorm and LayerNorm statistics, the attention softmax and the
 *       final log-softmax are float32; weights and activations are in the compute dtype.
 * </ul>
 */
package evalh.engine.runtime;
