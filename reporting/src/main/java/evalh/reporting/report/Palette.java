package evalh.reporting.report;

import java.util.Locale;

/** Colours: the Okabe-Ito palette for runs (colour-blind safe), viridis for heat maps. */
final class Palette {
  private static final String[] RUNS = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933", "#000000"
  };
  private static final int[][] VIRIDIS = {
    {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}
  };

  private Palette() {}

  static String run(int i) {
    return RUNS[Math.floorMod(i, RUNS.length)];
  }

  /** Viridis at {@code t} in [0, 1]. */
  static String viridis(double t) {
    double x = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
    int i = Math.min((int) Math.floor(x), VIRIDIS.length - 2);
    double f = x - i;
    int[] a = VIRIDIS[i];
    int[] b = VIRIDIS[i + 1];
    return String.format(
        Locale.ROOT,
        "#%02x%02x%02x",
        Math.round(a[0] + f * (b[0] - a[0])),
        Math.round(a[1] + f * (b[1] - a[1])),
        Math.round(a[2] + f * (b[2] - a[2])));
  }

  /** Readable text colour on viridis at {@code t}. */
  static String textOnViridis(double t) {
    return t > 0.55 ? "#000000" : "#ffffff";
  }
}
