package evalh.core.io;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names that become parts of file names (task, group and suite names, output names): letters,
 * digits, {@code .}, {@code _} and {@code -} only, and not {@code .} or {@code ..}. Such a name has
 * no separator, so {@code dir.resolve(prefix + name + suffix)} stays inside {@code dir}.
 */
public final class SafeNames {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");

  private SafeNames() {}

  /** Why {@code name} cannot be part of a file name, or empty when it can. */
  public static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (!SAFE.matcher(name).matches()) {
      return Optional.of(
          "'" + name + "' may contain only letters, digits, '.', '_' and '-' (it names files)");
    }
    if (name.equals(".") || name.equals("..")) {
      return Optional.of("'" + name + "' would name a directory, not a file");
    }
    return Optional.empty();
  }

  /** Whether {@code name} can be part of a file name. */
  public static boolean isSafe(String name) {
    return problem(name).isEmpty();
  }
}
