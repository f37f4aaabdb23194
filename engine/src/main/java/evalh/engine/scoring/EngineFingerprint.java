package evalh.engine.scoring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an evaluator is: the checkpoint, every setting that changes a score, and the runtime and
 * libtorch it runs on. The request cache keys answers by {@link #cacheScope()}; results.json's
 * {@code evalh.engine} section is {@link #toMap()}.
 *
 * @param checkpoint the checkpoint as given ({@code demo} or a directory)
 * @param checkpointDir where it was read from
 * @param checkpointFingerprint {@code sha256:} over config.json and the shards' headers
 * @param architecture e.g. {@code LlamaForCausalLM}
 * @param parameters parameter count
 * @param device e.g. {@code cpu}, {@code cuda:0}
 * @param dtype compute dtype, e.g. {@code float32}, {@code bfloat16}
 * @param storedDtypes the checkpoint's stored dtypes, e.g. {@code [BF16]}
 * @param weightConversion what happened to each stored dtype on upload
 * @param addBos whether BOS is prepended
 * @param bosPolicy {@code tokenizer default} or {@code forced by --add-bos}
 * @param prefixTokenId lm-eval's prefix token (BOS, else EOS)
 * @param rollingPrefix {@code bos} or {@code eos}
 * @param maxLength context window for left truncation
 * @param prefixSharing whether shared prefixes run once
 * @param runtime {@code torch} (results of an evalh before issue 25 may say {@code djl})
 * @param libtorchPath the libtorch library loaded
 * @param libtorchVersion its version
 * @param libtorchCuda whether it has CUDA
 * @param libtorchSource how it was found
 */
public record EngineFingerprint(
    String checkpoint,
    String checkpointDir,
    String checkpointFingerprint,
    String architecture,
    long parameters,
    String device,
    String dtype,
    List<String> storedDtypes,
    Map<String, String> weightConversion,
    boolean addBos,
    String bosPolicy,
    int prefixTokenId,
    String rollingPrefix,
    int maxLength,
    boolean prefixSharing,
    String runtime,
    String libtorchPath,
    String libtorchVersion,
    boolean libtorchCuda,
    String libtorchSource) {

  public EngineFingerprint {
    storedDtypes = List.copyOf(storedDtypes);
    weightConversion = Map.copyOf(weightConversion);
  }

  /**
   * The request-cache scope: every setting that changes a score, with the checkpoint fingerprint.
   * The device index is left out (cuda:0 and cuda:1 give the same answers).
   */
  public String cacheScope() {
    int colon = device.indexOf(':');
    return String.join(
        "|",
        "evalh-cache-v1",
        checkpointFingerprint,
        "dtype=" + dtype,
        "device=" + (colon < 0 ? device : device.substring(0, colon)),
        "add_bos=" + addBos,
        "max_length=" + maxLength,
        "prefix=" + prefixTokenId,
        "rolling_prefix=" + rollingPrefix,
        "prefix_sharing=" + prefixSharing,
        "runtime=" + runtime + " " + libtorchVersion);
  }

  /** results.json's {@code evalh.engine} keys, in their order; {@code checkpoint_dir} excluded. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("checkpoint", checkpoint);
    m.put("checkpoint_fingerprint", checkpointFingerprint);
    m.put("architecture", architecture);
    m.put("parameters", parameters);
    m.put("device", device);
    m.put("dtype", dtype);
    m.put("stored_dtypes", storedDtypes);
    m.put("weight_conversion", new java.util.TreeMap<>(weightConversion));
    m.put("add_bos", addBos);
    m.put("bos_policy", bosPolicy);
    m.put("prefix_token_id", prefixTokenId);
    m.put("rolling_prefix", rollingPrefix.toLowerCase(Locale.ROOT));
    m.put("max_length", maxLength);
    m.put("prefix_sharing", prefixSharing);
    m.put("runtime", runtime);
    Map<String, Object> lt = new LinkedHashMap<>();
    lt.put("path", libtorchPath);
    lt.put("version", libtorchVersion);
    lt.put("cuda", libtorchCuda);
    lt.put("source", libtorchSource);
    m.put("libtorch", lt);
    return m;
  }
}
