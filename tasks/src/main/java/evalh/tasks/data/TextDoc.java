package evalh.tasks.data;

import java.util.Map;

/**
 * One document of a perplexity (loglikelihood_rolling) task.
 *
 * @param docId index in its split
 * @param text the text as stored (words and bytes are counted on it)
 * @param doc the record as logged in {@code samples_*.jsonl}
 * @param location file and line or row
 */
public record TextDoc(int docId, String text, Map<String, Object> doc, String location) {}
