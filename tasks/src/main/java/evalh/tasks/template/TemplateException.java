package evalh.tasks.template;

/**
 * A template outside the supported Jinja subset, or one that fails on a document (an undefined
 * field, an index out of range, a value not in a list). Callers add the YAML file, the task field
 * and the document location.
 */
public final class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }
}
