package evalh.reporting.results;

import java.util.Map;
import java.util.Optional;

/**
 * One line of a {@code samples_<task>.jsonl} file: an evaluated item and its per-item metrics.
 *
 * @param docId the item's index in the evaluated split
 * @param filter the lm-eval filter the metrics were computed under ({@code none} by default)
 * @param docHash lm-eval's {@code doc_hash}, when logged
 * @param question the item's text for display (the question, else the document, else the prompt)
 * @param target the gold answer for display
 * @param scalars per-item metric values such as {@code acc} (0.0/1.0)
 * @param pairs per-item aggregation pairs such as {@code bits_per_byte: [loglikelihood, bytes]}
 * @param contentHash the item's content hash ({@code DecontamJson.itemHash}) from the logged {@code
 *     doc}'s question, choices and answer, when it has all three
 */
public record SampleItem(
    int docId,
    String filter,
    Optional<String> docHash,
    String question,
    String target,
    Map<String, Double> scalars,
    Map<String, double[]> pairs,
    Optional<String> contentHash) {

  public SampleItem {
    scalars = Map.copyOf(scalars);
    pairs = Map.copyOf(pairs);
  }
}
