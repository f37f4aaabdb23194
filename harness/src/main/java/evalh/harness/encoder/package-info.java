/**
 * The engine's sentence encoders behind core's {@link evalh.core.embed.SentenceEncoderProvider}
 * seam, found with {@link java.util.ServiceLoader} by decontamination's paraphrase pass (which does
 * not depend on the engine).
 *
 * <h2>Workflow</h2>
 *
 * <p>{@code ServiceLoader.load(SentenceEncoderProvider.class)} finds {@link
 * evalh.harness.encoder.EngineSentenceEncoders} through {@code META-INF/services} of this module's
 * jar; its {@code open(dir, device)} opens {@link evalh.engine.encoder.BertSentenceEncoder}.
 *
 * <h2>Traps</h2>
 *
 * <ul>
 *   <li>Checkpoint problems come back as {@link java.io.IOException} with the engine's message
 *       (file and key), as the seam promises; the caller adds which option named the folder.
 *   <li>A jar without this module (the Spark job jar) has no provider: the caller must say so.
 * </ul>
 */
package evalh.harness.encoder;
