package evalh.tasks.data;

import java.util.List;

/**
 * What a dataset reader returns.
 *
 * @param docs the usable items in split order
 * @param skips items left out, with reasons (counted in results.json)
 * @param sources the files read
 */
public record Loaded<T>(List<T> docs, List<Skip> skips, List<String> sources) {}
