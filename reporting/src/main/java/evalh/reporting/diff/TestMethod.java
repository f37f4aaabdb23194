package evalh.reporting.diff;

/** The significance test used for one comparison. */
public enum TestMethod {
  MCNEMAR_EXACT("McNemar exact", true),
  MCNEMAR_CHI2("McNemar χ² cc", true),
  PAIRED_BOOTSTRAP("paired bootstrap", true),
  FISHER_EXACT("Fisher exact (counts)", false),
  Z_TEST("unpaired z (stderr)", false),
  NONE("none", false);

  private final String label;
  private final boolean paired;

  TestMethod(String label, boolean paired) {
    this.label = label;
    this.paired = paired;
  }

  public String label() {
    return label;
  }

  public boolean paired() {
    return paired;
  }
}
