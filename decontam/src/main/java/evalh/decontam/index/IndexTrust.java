package evalh.decontam.index;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether an index can be trusted to say an item is clean. An index without documents (left by a
 * failed build) or with corpus files still {@code started} (an interrupted build) would call items
 * clean that the corpus contains, so both are errors unless the user accepts a partial index.
 *
 * <p>A corpus file that could not be read to its end (a truncated or corrupt {@code .gz}/{@code
 * .zst}, an unreadable parquet file) is the same: the documents past the damage are not in the
 * index, so it is an error naming the file and the byte offset, unless the user accepts a partial
 * index.
 *
 * @param partial the index has unfinished or truncated files and the user accepted it
 * @param unfinished paths of the corpus files still {@code started}
 * @param truncated {@code path: problem} of the corpus files not read to their end
 */
public record IndexTrust(boolean partial, List<String> unfinished, List<String> truncated) {
  public IndexTrust {
    unfinished = List.copyOf(unfinished);
    truncated = List.copyOf(truncated);
  }

  /** {@code path: problem} of each file of {@code state} that was not read to its end. */
  public static List<String> truncatedFiles(IndexState state) {
    List<String> out = new ArrayList<>();
    for (IndexState.FileEntry f : state.files) {
      if (f.done() && f.stats != null && f.stats.truncated != null) {
        out.add(f.path + ": " + f.stats.truncated);
      }
    }
    return out;
  }

  /**
   * The error for corpus files not read to their end, or null when there are none.
   *
   * @param accept the flag that accepts them
   */
  public static String truncatedError(List<String> truncated, String accept) {
    if (truncated.isEmpty()) {
      return null;
    }
    return truncated.size()
        + " corpus file(s) could not be read to the end, so items may occur in the lost part: "
        + String.join("; ", truncated.subList(0, Math.min(5, truncated.size())))
        + (truncated.size() > 5 ? "; ..." : "")
        + ". Repair or re-download them, or accept a partial check with "
        + accept;
  }

  /**
   * Checks {@code state} (of the index at {@code dir} holding {@code documents} documents).
   *
   * @throws IllegalStateException naming the problem and the command that fixes it
   */
  public static IndexTrust check(Path dir, IndexState state, long documents, boolean allowPartial) {
    List<String> started = new ArrayList<>();
    for (IndexState.FileEntry f : state.files) {
      if (!f.done()) {
        started.add(f.path);
      }
    }
    if (documents == 0) {
      throw new IllegalStateException(
          "index "
              + dir
              + " holds no documents (a failed or interrupted build?), so every item would be"
              + " called clean; rebuild it: "
              + resumeCommand(dir, state, started.isEmpty() ? List.of("<corpus>") : started));
    }
    if (!started.isEmpty() && !allowPartial) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "index %s is partial: %d corpus file(s) are still 'started' (an interrupted build):"
                  + " %s; resume the build with: %s (or accept a partial check with"
                  + " --allow-partial)",
              dir,
              started.size(),
              String.join(", ", started.subList(0, Math.min(5, started.size())))
                  + (started.size() > 5 ? ", ..." : ""),
              resumeCommand(dir, state, started)));
    }
    List<String> truncated = truncatedFiles(state);
    if (!truncated.isEmpty() && !allowPartial) {
      throw new IllegalStateException(
          "index " + dir + " is partial: " + truncatedError(truncated, "--allow-partial"));
    }
    return new IndexTrust(!started.isEmpty() || !truncated.isEmpty(), started, truncated);
  }

  /** The {@code evalh index} command that completes {@code files} with the index's own scheme. */
  static String resumeCommand(Path dir, IndexState s, List<String> files) {
    StringBuilder b = new StringBuilder("evalh index --corpus");
    for (String f : files) {
      b.append(' ').append(quote(f));
    }
    b.append(" --out ").append(quote(dir.toString()));
    String norm = s.normalization == null ? "janitor" : s.normalization.split("/", 2)[0];
    b.append(" --normalization ").append(norm);
    b.append(" --n ").append(s.n).append(" --stride ").append(s.stride);
    if (s.textFields != null) {
      for (String f : s.textFields) {
        b.append(" --field ").append(quote(f));
      }
    }
    if (s.idField != null) {
      b.append(" --id-field ").append(quote(s.idField));
    }
    return b.toString();
  }

  private static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=@+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
