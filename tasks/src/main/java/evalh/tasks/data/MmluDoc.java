package evalh.tasks.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One MMLU item, in the fields of HF {@code cais/mmlu}.
 *
 * @param docId index in its split (rows that were skipped keep their index)
 * @param subject subject key, e.g. {@code anatomy}
 * @param question question text as stored
 * @param choices the answer texts
 * @param answer index of the correct answer
 * @param location file and line or row
 */
public record MmluDoc(
    int docId, String subject, String question, List<String> choices, int answer, String location)
    implements Doc {

  /** The cais/mmlu columns the templates see: {@link #lmEvalDoc()}. */
  @Override
  public Map<String, Object> fields() {
    return lmEvalDoc();
  }

  /** The document as lm-eval logs it in {@code samples_*.jsonl} (cais/mmlu columns). */
  public Map<String, Object> lmEvalDoc() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("question", question);
    m.put("subject", subject);
    m.put("choices", choices);
    m.put("answer", (long) answer);
    return m;
  }
}
