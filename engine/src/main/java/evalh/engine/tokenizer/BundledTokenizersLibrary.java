package evalh.engine.tokenizer;

import java.util.Map;

/**
 * Makes DJL's HuggingFace tokenizers load the CPU native library bundled in its own jar, so
 * tokenization never touches the network, on a CUDA host included.
 *
 * <p>DJL 0.36 ({@code ai.djl.huggingface.tokenizers.jni.LibUtils}) loads {@code RUST_LIBRARY_PATH}
 * when set (a local file); otherwise it picks a flavor: {@code RUST_FLAVOR} (environment first,
 * then system property), else {@code cpu} in DJL's offline mode, else the platform's: when
 * libcudart reports a GPU of compute capability 8.0/8.6/8.9/9.0 and CUDA ≥ 12.2, that is {@code
 * cu122}, and DJL downloads a CUDA build of the library from publish.djl.ai. Tokenizing needs no
 * GPU, so evalh sets the system property {@code RUST_FLAVOR=cpu} before the library is first
 * loaded: DJL then extracts the bundled {@code native/lib/<os>-<arch>/cpu} library to its cache
 * directory, as on a CPU host. DJL's offline mode is left alone (it also governs DJL's PyTorch
 * engine).
 */
final class BundledTokenizersLibrary {
  static final String FLAVOR = "RUST_FLAVOR";
  static final String LIBRARY_PATH = "RUST_LIBRARY_PATH";

  private BundledTokenizersLibrary() {}

  /** Selects the bundled CPU library for this JVM; idempotent. */
  static synchronized void select() {
    select(System.getenv());
  }

  /**
   * {@link #select()} against the given environment.
   *
   * @throws IllegalStateException when the environment asks DJL for another flavor, which DJL would
   *     download (an environment variable wins over the system property evalh sets)
   */
  static synchronized void select(Map<String, String> env) {
    String path = env.get(LIBRARY_PATH);
    if ((path != null && !path.isEmpty()) || System.getProperty(LIBRARY_PATH) != null) {
      return; // the user's own local libtokenizers: DJL loads it from disk
    }
    String flavor = env.get(FLAVOR);
    if (flavor != null && !flavor.equals("cpu")) {
      throw new IllegalStateException(
          "the environment sets "
              + FLAVOR
              + "='"
              + flavor
              + "', which makes DJL download a tokenizers library of that flavor; evalh"
              + " tokenizes with the CPU library bundled in its jar: unset "
              + FLAVOR
              + " (or set it to cpu), or point "
              + LIBRARY_PATH
              + " at a local libtokenizers");
    }
    System.setProperty(FLAVOR, "cpu");
  }
}
