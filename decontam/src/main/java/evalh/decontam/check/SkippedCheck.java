package evalh.decontam.check;

import java.util.List;

/**
 * Checks that could not be made for some items because a corpus file was not readable on the
 * machine that checked them (e.g. shards built from {@code hdfs://} corpora, checked where only the
 * shards were copied): the items keep their n-gram counts and labels, but their snippets and {@code
 * answer_leak} (or, for short items, the whole-item match) were not looked at in that file.
 * Recorded in {@code decontam.json} ({@code skipped_checks}) and shown in {@code decontam.md}.
 *
 * @param checks the checks skipped: {@code snippets}, {@code answer_leak}, {@code whole_item_match}
 * @param file the corpus file as in provenance (a local path or the full URI)
 * @param reason why it could not be read
 * @param items items affected (with a top document in that file, or every short item)
 */
public record SkippedCheck(List<String> checks, String file, String reason, int items) {
  public SkippedCheck {
    checks = List.copyOf(checks);
  }
}
