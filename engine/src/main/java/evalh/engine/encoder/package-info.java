/**
 * Sentence encoders: sentence-transformers checkpoints of the BERT family (all-MiniLM-L6-v2,
 * multi-qa-MiniLM-L6-cos-v1, bge-small-en-v1.5, e5-small-v2, ...) on the engine's tensor runtime,
 * behind core's {@link evalh.core.embed.SentenceEncoder} seam.
 *
 * <h2>Workflow</h2>
 *
 * <ol>
 *   <li>{@link evalh.engine.encoder.SentenceTransformerConfig} reads {@code modules.json}
 *       (Transformer, Pooling, optionally Normalize; anything else is refused naming the module),
 *       the Pooling module's {@code config.json} ({@code pooling_mode_*}) and {@code
 *       sentence_bert_config.json} ({@code max_seq_length}, else {@code max_position_embeddings};
 *       {@code do_lower_case}).
 *   <li>{@link evalh.engine.encoder.BertConfig} reads {@code config.json}; keys that change the
 *       math beyond absolute-position, post-LN, erf-GELU BertModel are refused naming the key.
 *   <li>The safetensors are opened with {@link evalh.engine.checkpoint.Checkpoint.Weights}; {@link
 *       evalh.engine.encoder.BertModel#load} checks every name, shape and dtype, then uploads.
 *   <li>{@link evalh.engine.encoder.BertSentenceEncoder#embed} tokenizes (the tokenizer's own
 *       special tokens, truncation of the text's tokens so that the total is {@code
 *       max_seq_length}), sorts texts by length, runs padded batches, copies each text's real token
 *       states to the host and pools them there ({@link evalh.engine.encoder.Pooling}), then
 *       L2-normalises when a Normalize module is present.
 * </ol>
 *
 * <h2>Traps</h2>
 *
 * <ul>
 *   <li><b>Padding must change nothing.</b> Rows are right-padded; padding keys are masked, and a
 *       padding query attends to the row's real keys (an all-masked softmax row would be NaN in
 *       SDPA). Positions restart at 0 in every row. Pooling only ever reads real tokens.
 *   <li><b>Weights stay mapped.</b> A weight stored in the compute dtype is used in place over the
 *       safetensors memory map, so the files are closed only after the runtime.
 *   <li><b>Truncation</b> keeps the special tokens: {@code [CLS]} + the first {@code max - 2} text
 *       tokens + {@code [SEP]}, as transformers' tokenizer call in sentence-transformers does. The
 *       special tokens around a text are learned from the post-processor on a probe text.
 *   <li><b>do_lower_case</b> lower-cases with Java's root locale, which may differ from Python's
 *       {@code str.lower} on a few characters (e.g. dotted capital I); BERT tokenizers also lower-
 *       case in their normalizer, where it matters.
 *   <li>The pooler weights ({@code pooler.dense}) are stored but unused, as in
 *       sentence-transformers.
 * </ul>
 */
package evalh.engine.encoder;
