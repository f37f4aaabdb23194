package evalh.reporting.report;

import java.util.List;

/**
 * Data of a grouped bar chart: one group of bars per category, one bar per series, with optional
 * interval whiskers.
 *
 * @param title chart title
 * @param yLabel y axis label
 * @param categories category names (x axis)
 * @param series series names (legend), one colour each
 * @param colors one colour per series
 * @param value {@code value[category][series]}, NaN when absent
 * @param low lower whisker end, NaN when none
 * @param high upper whisker end, NaN when none
 * @param percent show values as percentages
 */
record BarChartData(
    String title,
    String yLabel,
    List<String> categories,
    List<String> series,
    List<String> colors,
    double[][] value,
    double[][] low,
    double[][] high,
    boolean percent) {}
