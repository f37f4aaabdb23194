package evalh.tasks.registry;

import java.util.List;
import java.util.Map;

/**
 * One leaf task as the registry defines it (after variant expansion).
 *
 * @param name evalh task name, e.g. {@code mmlu-anatomy}
 * @param lmEvalName the corresponding lm-eval task name (for reference in configs), or the name
 * @param suite the suite file's {@code suite} name
 * @param member the member key this task was expanded from
 * @param attributes the member's attributes (e.g. {@code category})
 * @param outputType request type
 * @param dataset dataset selector: {@code kind} plus kind-specific keys; tasks given by {@code
 *     dataset_path}/{@code dataset_name} have kind {@code hf} with keys {@code path} and {@code
 *     name} (absent when null)
 * @param trainingSplit lm-eval's {@code training_split} (null: none)
 * @param validationSplit lm-eval's {@code validation_split} (null: none)
 * @param testSplit split that is evaluated
 * @param fewshotSplit split few-shot examples come from (null: the training split, else the
 *     validation split, else the test split, as lm-eval)
 * @param numFewshot default number of few-shot examples
 * @param choice the templates of a multiple-choice task (null for rolling tasks)
 * @param description text before the few-shot examples
 * @param targetDelimiter between a prompt and its answer
 * @param fewshotDelimiter between examples
 * @param metrics metric names
 * @param textField document field of rolling tasks
 * @param detokenizer detokenizer of rolling tasks ({@code wikitext} or null)
 * @param version the task version that results.json reports
 * @param origin the YAML file the task came from
 */
public record TaskSpec(
    String name,
    String lmEvalName,
    String suite,
    String member,
    Map<String, String> attributes,
    OutputType outputType,
    Map<String, String> dataset,
    String trainingSplit,
    String validationSplit,
    String testSplit,
    String fewshotSplit,
    int numFewshot,
    ChoiceTemplates choice,
    String description,
    String targetDelimiter,
    String fewshotDelimiter,
    List<String> metrics,
    String textField,
    String detokenizer,
    double version,
    String origin) {

  /** Which reader loads the data ({@code dataset.kind}, checked when the registry loaded). */
  public DatasetKind datasetKind() {
    return DatasetKind.parse(dataset.get("kind"));
  }

  /** The HF repository of the data, as lm-eval's {@code dataset_path}. */
  public String datasetPath() {
    return switch (datasetKind()) {
      case HF -> dataset.get("path");
      case MMLU -> "cais/mmlu";
      case PALOMA -> "allenai/paloma";
      case C4 -> "allenai/c4";
      case WIKITEXT -> "EleutherAI/wikitext_document_level";
    };
  }

  /** The configuration, as lm-eval's {@code dataset_name} (null: none). */
  public String datasetName() {
    return switch (datasetKind()) {
      case HF -> dataset.get("name");
      case MMLU -> dataset.get("subject");
      case PALOMA -> dataset.get("source");
      case C4 -> dataset.getOrDefault("variant", "en");
      case WIKITEXT -> dataset.get("config");
    };
  }

  /**
   * The split few-shot examples come from: {@code fewshot_split}, else {@code training_split}, else
   * {@code validation_split}, else the test split (lm-eval's {@code fewshot_docs}).
   */
  public String fewshotSource() {
    if (fewshotSplit != null) {
      return fewshotSplit;
    }
    if (trainingSplit != null) {
      return trainingSplit;
    }
    return validationSplit != null ? validationSplit : testSplit;
  }

  /** The aggregation results.json names for a metric, as lm-eval's registry. */
  public static String aggregation(String metric) {
    return switch (metric) {
      case "bits_per_byte" -> "bits_per_byte";
      case "word_perplexity", "byte_perplexity", "token_perplexity" -> "weighted_perplexity";
      default -> "mean";
    };
  }

  /** Whether a larger value of the metric is better (the accuracies). */
  public static boolean higherIsBetter(String metric) {
    return metric.startsWith("acc");
  }
}
