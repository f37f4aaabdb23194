package evalh.tasks.data;

/**
 * An item left out of the evaluation, counted and reported.
 *
 * @param location file and line or row
 * @param reason why
 */
public record Skip(String location, String reason) {}
