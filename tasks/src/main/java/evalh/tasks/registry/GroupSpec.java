package evalh.tasks.registry;

import java.util.List;

/**
 * A named set of tasks and groups whose metrics are aggregated.
 *
 * @param name group name, e.g. {@code mmlu-science}
 * @param children task or group names, in order
 * @param origin the YAML file the group came from
 */
public record GroupSpec(String name, List<String> children, String origin) {}
