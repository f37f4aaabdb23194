package evalh.tasks.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema of a task YAML file, in one place, as Jackson binds it (keys are the snake_case of the
 * component names; an unknown key is an error naming the file, the entry and the allowed keys).
 * {@link TaskRegistry} checks what binding cannot (required keys, allowed metrics, names) and
 * expands variants; {@code tasks/README.md} documents the same schema for users.
 */
final class TaskYaml {
  static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private TaskYaml() {}

  /**
   * One file: a suite of tasks ({@code members} expanded through {@code variants}) and groups.
   *
   * @param suite the suite name (needed with variants)
   * @param members member key to attributes ({@code {category: stem}}), in file order
   * @param variants one task template per variant
   * @param tasks plain tasks (no substitution), e.g. one benchmark per file
   * @param groups groups over this file's members, earlier groups or any named task
   */
  record SuiteFile(
      String suite,
      LinkedHashMap<String, Map<String, String>> members,
      List<Variant> variants,
      List<ObjectNode> tasks,
      List<GroupEntry> groups) {}

  /**
   * One variant of a suite: each member becomes the task {@code task} with {@code {member}}, {@code
   * {member_words}} and {@code {<attribute>}} substituted.
   *
   * @param suffix appended to the names of the groups repeated for this variant ("" when absent)
   * @param task the template, bound as {@link TaskEntry} after substitution
   */
  record Variant(String suffix, ObjectNode task) {}

  /**
   * A group. Its children are, in this order: the members matching {@code where}, the listed {@code
   * members} (both as this variant's tasks), the listed {@code groups} (this variant's), and the
   * named {@code tasks}.
   */
  record GroupEntry(
      String name,
      Map<String, String> where,
      List<String> members,
      List<String> groups,
      List<String> tasks) {
    /**
     * A group built from this file's members or groups exists once per variant (its name and its
     * sub-groups carry the variant's suffix); a group of named tasks exists once.
     */
    boolean repeatsPerVariant() {
      return where != null || members != null || groups != null;
    }
  }

  /**
   * One task after substitution; see {@link TaskSpec} for the meaning of each key. The keys of a
   * multiple-choice task are lm-eval's ({@code dataset_path}, {@code doc_to_text}, {@code
   * metric_list}, ...); {@code doc_to_choice} and {@code doc_to_target} stay JSON because lm-eval
   * allows a string, a list or an integer there.
   */
  record TaskEntry(
      String name,
      String lmEvalName,
      OutputType outputType,
      Map<String, String> dataset,
      String datasetPath,
      String datasetName,
      String trainingSplit,
      String validationSplit,
      String testSplit,
      String fewshotSplit,
      Integer numFewshot,
      FewshotConfig fewshotConfig,
      String description,
      String targetDelimiter,
      String fewshotDelimiter,
      String docToText,
      JsonNode docToChoice,
      JsonNode docToTarget,
      String docToDecontaminationQuery,
      JsonNode docToDecontaminationChoices,
      List<MetricEntry> metricList,
      String textField,
      String detokenizer,
      Double version) {}

  /** lm-eval's {@code fewshot_config}, of which evalh reads the sampler. */
  record FewshotConfig(String sampler) {}

  /**
   * One entry of lm-eval's {@code metric_list}; {@code aggregation} and {@code higher_is_better}
   * may be given but must be what evalh computes for the metric.
   */
  record MetricEntry(String metric, String aggregation, Boolean higherIsBetter) {}

  /** Binds {@code node}; a mismatch is a {@link RegistryException} naming {@code where} + path. */
  static <T> T bind(JsonNode node, Class<T> type, String where) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      throw new RegistryException(
          where
              + path(e, 1)
              + ": unknown key '"
              + e.getPropertyName()
              + "' (allowed: "
              + e.getKnownPropertyIds()
              + ")",
          e);
    } catch (JsonMappingException e) {
      Throwable c = e.getCause();
      String why = c instanceof IllegalArgumentException ? c.getMessage() : e.getOriginalMessage();
      throw new RegistryException(where + path(e, 0) + ": " + why, e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new RegistryException(where + ": " + e.getOriginalMessage(), e);
    }
  }

  /** {@code .groups[0].tasks} of a mapping error, without its last {@code drop} steps. */
  private static String path(JsonMappingException e, int drop) {
    List<JsonMappingException.Reference> refs = e.getPath();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < refs.size() - drop; i++) {
      JsonMappingException.Reference r = refs.get(i);
      if (r.getFieldName() != null) {
        sb.append(sb.isEmpty() ? ": " : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append(sb.isEmpty() ? ": " : "").append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
