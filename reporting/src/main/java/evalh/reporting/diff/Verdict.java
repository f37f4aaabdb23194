package evalh.reporting.diff;

/** The outcome of comparing one metric between a baseline and a candidate run. */
public enum Verdict {
  SAME("same", false),
  IMPROVED("improved", false),
  BETTER_NOT_SIGNIFICANT("better (n.s.)", false),
  BETTER_UNTESTED("better, untested", false),
  WORSE_NOT_SIGNIFICANT("worse (n.s.)", false),
  WORSE_WITHIN_THRESHOLD("worse, within threshold", false),
  WORSE_UNTESTED("worse, untested", false),
  REGRESSION("REGRESSION", true),
  REGRESSION_UNTESTED("REGRESSION (untested)", true),
  CHANGED("CHANGED", true),
  MISSING("MISSING", true),
  NEW("new", false);

  private final String text;
  private final boolean fails;

  Verdict(String text, boolean fails) {
    this.text = text;
    this.fails = fails;
  }

  /** How the verdict is shown. */
  public String text() {
    return text;
  }

  /** True when this verdict fails the gate (exit code 1). */
  public boolean fails() {
    return fails;
  }
}
