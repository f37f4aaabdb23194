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
 * @param partial the index has unfinished files and the user accepted it
 * @param unfinished paths of the corpus files still {@code started}
 */
public record IndexTrust(boolean partial, List<String> unfinished) {
  public IndexTrust {
    unfinished = List.copyOf(unfinished);
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
    return new IndexTrust(!started.isEmpty(), started);
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
