package evalh.tasks.registry;

import java.util.Arrays;

/**
 * Which reader loads a task's data: {@code hf} for tasks given by {@code dataset_path}, else the
 * {@code kind} of the task's {@code dataset} mapping (datasets whose layouts need their own
 * reader).
 */
public enum DatasetKind {
  /**
   * A HF dataset repository given by {@code dataset_path} and {@code dataset_name}: the split files
   * are found by name and read by format (parquet, JSONL, CSV); see {@code
   * evalh.tasks.data.HfData}.
   */
  HF("hf"),
  /** {@code cais/mmlu}: multiple-choice items of one subject ({@code subject}). */
  MMLU("mmlu"),
  /** {@code allenai/paloma}: documents of one source ({@code source}). */
  PALOMA("paloma"),
  /** {@code allenai/c4}: validation documents of one variant ({@code variant}, default en). */
  C4("c4"),
  /** WikiText pages of one configuration ({@code config}). */
  WIKITEXT("wikitext");

  private final String yamlName;

  DatasetKind(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name in task YAML. */
  public String yamlName() {
    return yamlName;
  }

  /** The kind named {@code s}; an error lists the kinds. */
  public static DatasetKind parse(String s) {
    for (DatasetKind k : values()) {
      if (k.yamlName.equals(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "dataset kind '"
            + s
            + "' is not one of "
            + Arrays.stream(values()).map(DatasetKind::yamlName).toList());
  }
}
