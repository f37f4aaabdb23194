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
 * @param dataset dataset selector: {@code kind} plus kind-specific keys
 * @param testSplit split that is evaluated
 * @param fewshotSplit split few-shot examples come from (null: none)
 * @param numFewshot default number of few-shot examples
 * @param prompt prompt format of multiple-choice tasks (null for rolling tasks)
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
    String testSplit,
    String fewshotSplit,
    int numFewshot,
    PromptFormat prompt,
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
}
