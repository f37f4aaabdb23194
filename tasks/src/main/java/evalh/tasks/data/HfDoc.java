package evalh.tasks.data;

import java.util.Map;

/**
 * One row of a HF dataset split.
 *
 * @param docId index in its split
 * @param fields the row's columns in file order (String, Long, Double, Boolean, List, Map, null)
 * @param location file and line or row
 */
public record HfDoc(int docId, Map<String, Object> fields, String location) implements Doc {}
