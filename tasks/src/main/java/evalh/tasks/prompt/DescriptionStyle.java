package evalh.tasks.prompt;

/** How the task description ends, by lm-eval version. */
public enum DescriptionStyle {
  /**
   * As the YAML says ({@code ...about anatomy.\n\n}): lm-eval &lt;= 0.4.1 and &gt;= 0.4.4 (PR #2116
   * set jinja's keep_trailing_newline).
   */
  DEFAULT,
  /**
   * lm-eval 0.4.2 and 0.4.3 rendered the description with jinja's default, which drops one trailing
   * newline ({@code ...about anatomy.\n}), issue #1817.
   */
  LEGACY;

  public String apply(String description) {
    if (this == LEGACY && description.endsWith("\n")) {
      return description.substring(0, description.length() - 1);
    }
    return description;
  }
}
