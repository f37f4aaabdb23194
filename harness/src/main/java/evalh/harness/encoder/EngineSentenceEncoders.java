package evalh.harness.encoder;

import evalh.core.embed.SentenceEncoder;
import evalh.core.embed.SentenceEncoderProvider;
import evalh.engine.checkpoint.CheckpointException;
import evalh.engine.encoder.BertSentenceEncoder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The {@link SentenceEncoderProvider} of the evalh jar: sentence-transformers checkpoints of the
 * BERT family on the engine ({@link BertSentenceEncoder}), with {@code --dtype auto} (float32 on
 * CPU; the stored dtype on CUDA). Registered in {@code
 * META-INF/services/evalh.core.embed.SentenceEncoderProvider}.
 */
public final class EngineSentenceEncoders implements SentenceEncoderProvider {
  @Override
  public SentenceEncoder open(Path dir, String device) throws IOException {
    try {
      return BertSentenceEncoder.open(
          dir, null, device, "auto", new PrintStream(System.err, true, StandardCharsets.UTF_8));
    } catch (CheckpointException | IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
