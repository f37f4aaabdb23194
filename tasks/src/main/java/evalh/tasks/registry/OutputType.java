package evalh.tasks.registry;

/** lm-eval's request types that evalh scores. */
public enum OutputType {
  /** One loglikelihood request per choice; metrics acc, acc_norm, acc_bytes. */
  MULTIPLE_CHOICE("multiple_choice"),
  /** One loglikelihood_rolling request per document; perplexity-style metrics. */
  LOGLIKELIHOOD_ROLLING("loglikelihood_rolling");

  private final String yamlName;

  OutputType(String yamlName) {
    this.yamlName = yamlName;
  }

  @com.fasterxml.jackson.annotation.JsonValue
  public String yamlName() {
    return yamlName;
  }

  @com.fasterxml.jackson.annotation.JsonCreator
  static OutputType parse(String s) {
    for (OutputType t : values()) {
      if (t.yamlName.equals(s)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "output_type '" + s + "' is not one of multiple_choice, loglikelihood_rolling");
  }
}
