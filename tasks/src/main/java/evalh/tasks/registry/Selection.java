package evalh.tasks.registry;

import java.util.List;
import java.util.Map;

/**
 * What a {@code --task} spec expands to.
 *
 * @param requested the names as given, in order (tasks and groups)
 * @param tasks every leaf task to evaluate, each once, in first-seen order
 * @param groups every group involved (requested and nested), by name
 */
public record Selection(
    List<String> requested, List<TaskSpec> tasks, Map<String, GroupSpec> groups) {}
