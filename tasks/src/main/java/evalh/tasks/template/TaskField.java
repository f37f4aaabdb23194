package evalh.tasks.template;

import java.util.List;
import java.util.Map;

/**
 * One {@code doc_to_*} value of a task, resolved per document as lm-eval's {@code ConfigurableTask}
 * does: a YAML integer or list is a constant; a string that names a field of the document is that
 * field's value; any other string is a {@link Template} rendered over the document.
 *
 * @param yaml the value as written in the task file (String, Long or List of String), for
 *     results.json's {@code configs}
 */
public record TaskField(Object yaml, Template template) {

  /** A string field (its template compiled now, so errors surface when the file is read). */
  public static TaskField of(String value) {
    return new TaskField(value, Template.compile(value));
  }

  /**
   * A constant: an integer ({@code doc_to_target: 3}) or a list ({@code doc_to_choice: [A, B]}).
   */
  public static TaskField constant(Object value) {
    if (!(value instanceof Long || value instanceof List<?>)) {
      throw new IllegalArgumentException("constant must be an integer or a list: " + value);
    }
    return new TaskField(value instanceof List<?> l ? List.copyOf(l) : value, null);
  }

  public boolean isConstant() {
    return template == null;
  }

  /** Whether {@code doc} has a field named by this value (lm-eval's {@code in self.features}). */
  public boolean namesField(Map<String, Object> doc) {
    return yaml instanceof String s && doc.containsKey(s);
  }

  /** Whether the string has template syntax ({@code {{}}); without it, it is a field or text. */
  public boolean hasExpressions() {
    return template != null && template.source().contains("{{");
  }
}
