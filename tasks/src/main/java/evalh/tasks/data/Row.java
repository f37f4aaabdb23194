package evalh.tasks.data;

import java.util.Map;

/**
 * One record of a dataset file.
 *
 * @param values column name to value (String, Long, Double, Boolean, List, or null)
 * @param location file and line (JSONL/CSV, 1-based) or row (parquet, 0-based) for messages
 */
public record Row(Map<String, Object> values, String location) {}
