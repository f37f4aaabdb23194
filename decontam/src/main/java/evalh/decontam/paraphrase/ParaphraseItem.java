package evalh.decontam.paraphrase;

/**
 * A benchmark item as the paraphrase pass queries it.
 *
 * @param task leaf task
 * @param docId index of the item in its task's split
 * @param question the question (passage included when the item has one)
 * @param answer the gold answer text (empty when unknown)
 */
public record ParaphraseItem(String task, int docId, String question, String answer) {}
