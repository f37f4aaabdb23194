package evalh.core.embed;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens {@link SentenceEncoder}s. The module that can run a sentence-transformers checkpoint
 * registers one in {@code META-INF/services/evalh.core.embed.SentenceEncoderProvider}; a user of
 * encoders finds it with {@link java.util.ServiceLoader} and fails with a clear message when none
 * is on the class path (the Spark job jar, for example).
 */
public interface SentenceEncoderProvider {
  /**
   * Opens the checkpoint in {@code dir} (BertModel safetensors, {@code tokenizer.json}, {@code
   * modules.json}, {@code 1_Pooling/config.json}) on {@code device} ({@code cpu}, {@code cuda},
   * {@code cuda:N}).
   *
   * @throws IOException naming the file and key when the checkpoint cannot be used
   */
  SentenceEncoder open(Path dir, String device) throws IOException;
}
