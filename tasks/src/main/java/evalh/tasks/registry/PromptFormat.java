package evalh.tasks.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a multiple-choice task shows its question and what the continuations are. */
public enum PromptFormat {
  /** lm-eval's default MMLU: choices listed as A.-D., the letters are the continuations. */
  MMLU("mmlu"),
  /** The OLMES "RC" (cloze) formulation: the answer texts are the continuations. */
  CLOZE("cloze");

  private final String yamlName;

  PromptFormat(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name in task YAML. */
  @JsonValue
  public String yamlName() {
    return yamlName;
  }

  @JsonCreator
  static PromptFormat parse(String s) {
    for (PromptFormat p : values()) {
      if (p.yamlName.equals(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("prompt must be 'mmlu' or 'cloze', got '" + s + "'");
  }
}
