package evalh.tasks.data;

import java.util.Map;

/** One item of a multiple-choice dataset, as the task templates see it. */
public interface Doc {
  /** Index in its split ({@code doc_id} in samples files). */
  int docId();

  /** The columns, in file order, as lm-eval passes them to its templates and logs them. */
  Map<String, Object> fields();

  /** File and line or row, for messages. */
  String location();
}
