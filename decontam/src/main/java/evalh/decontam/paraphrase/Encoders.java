package evalh.decontam.paraphrase;

import evalh.core.embed.SentenceEncoder;
import evalh.core.embed.SentenceEncoderProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Opens the sentence encoder of {@code --encoder DIR} through core's seam: the first {@link
 * SentenceEncoderProvider} that {@link ServiceLoader} finds. decontam does not depend on the engine
 * that runs the checkpoint; without a provider on the class path {@code --encoder} is an error.
 */
public final class Encoders {
  private Encoders() {}

  /** Opens {@code dir} on {@code device} with the provider on the class path. */
  public static SentenceEncoder open(Path dir, String device) throws IOException {
    return open(dir, device, Encoders.class.getClassLoader());
  }

  static SentenceEncoder open(Path dir, String device, ClassLoader loader) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--encoder " + dir + ": not a directory");
    }
    Iterator<SentenceEncoderProvider> it =
        ServiceLoader.load(SentenceEncoderProvider.class, loader).iterator();
    if (!it.hasNext()) {
      throw new IllegalArgumentException(
          "--encoder "
              + dir
              + ": no sentence encoder on the class path (no "
              + SentenceEncoderProvider.class.getName()
              + " service); the engine module provides it, so run the full evalh jar, or leave out"
              + " --encoder for the lexical pass alone");
    }
    return it.next().open(dir, device);
  }
}
