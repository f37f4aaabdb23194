package evalh.reporting.report;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.reporting.CliRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the HTML report in headless Chromium, takes a screenshot and checks that the charts drew:
 * every SVG chart has a non-zero size and bars/cells with non-zero bounding boxes as laid out by
 * the browser, the run colours appear in the screenshot, and the {@code <script>} planted in a
 * question did not run.
 */
class ReportBrowserTest {
  /**
   * Appended to a copy of the report (the report itself has no script): measures what the browser
   * laid out and writes it into the DOM for --dump-dom.
   */
  private static final String PROBE =
      """
      <script>
      (function () {
        var lines = [];
        document.querySelectorAll('svg.chart').forEach(function (svg) {
          var r = svg.getBoundingClientRect();
          var marks = svg.querySelectorAll('rect.bar, rect.cell');
          var drawn = 0;
          marks.forEach(function (m) { var b = m.getBBox(); if (b.width > 0 && b.height > 0) drawn++; });
          var whiskers = svg.querySelectorAll('g.ci line').length;
          lines.push([svg.getAttribute('class'), r.width, r.height, marks.length, drawn, whiskers].join(';'));
        });
        var pre = document.createElement('pre');
        pre.id = 'probe';
        pre.textContent = lines.join('|');
        document.body.appendChild(pre);
        var x = document.createElement('pre');
        x.id = 'xss';
        x.textContent = (window.__evalh_xss === undefined ? 'not-run' : 'RAN-' + window.__evalh_xss)
            + ';scripts=' + document.scripts.length;
        document.body.appendChild(x);
      })();
      </script>
      """;

  @TempDir Path tmp;

  @Test
  void chromiumDrawsTheChartsAndDoesNotRunDataAsScript() throws Exception {
    Chromium chromium = Chromium.locate(tmp);
    ReportFixtures.Paths p = ReportFixtures.write(tmp);
    Path outDir = Path.of("target", "browser-report").toAbsolutePath();
    Path report = outDir.resolve("report.html");
    CliRun r =
        CliRun.of(
            new ReportCommand(),
            p.a().toString(),
            p.b().toString(),
            "--decontam",
            p.decontam().toString(),
            "--out",
            report.toString());
    assertThat(r.exit()).as(r.err()).isZero();

    String html = Files.readString(report);
    Path probe = tmp.resolve("probe.html");
    Files.writeString(probe, html.replace("</body>", PROBE + "</body>"));
    String dom = chromium.dumpDom(probe);

    Matcher xss = Pattern.compile("<pre id=\"xss\">([^<]*)</pre>").matcher(dom);
    assertThat(xss.find()).as("probe output in\n" + dom).isTrue();
    // the planted <script> and <img onerror> did not run; the only script is the probe
    assertThat(xss.group(1)).isEqualTo("not-run;scripts=1");
    // ... and the question is shown as text
    assertThat(dom).contains("Which organ? &lt;script&gt;window.__evalh_xss=1&lt;/script&gt;");

    Matcher m = Pattern.compile("<pre id=\"probe\">([^<]*)</pre>").matcher(dom);
    assertThat(m.find()).isTrue();
    List<String[]> charts = new ArrayList<>();
    for (String line : m.group(1).split("\\|")) {
      charts.add(line.split(";"));
    }
    // accuracy bars, subject heat map, bits per byte bars, clean-vs-dirty bars
    assertThat(charts)
        .extracting(c -> c[0])
        .containsExactly("chart bar-chart", "chart heat-map", "chart bar-chart", "chart bar-chart");
    for (String[] c : charts) {
      double w = Double.parseDouble(c[1]);
      double h = Double.parseDouble(c[2]);
      int marks = Integer.parseInt(c[3]);
      int drawn = Integer.parseInt(c[4]);
      assertThat(w).as("width of " + String.join(";", c)).isGreaterThan(100);
      assertThat(h).as("height of " + String.join(";", c)).isGreaterThan(100);
      assertThat(marks).as("marks of " + String.join(";", c)).isGreaterThan(0);
      assertThat(drawn).as("drawn marks of " + String.join(";", c)).isEqualTo(marks);
    }
    // 2 runs x 1 group; 2 subjects x 2 runs; 2 runs x 1 source; 4 series x 3 tasks
    assertThat(charts).extracting(c -> Integer.parseInt(c[3])).containsExactly(2, 4, 2, 12);
    // every bar chart has its interval whiskers (3 lines each)
    assertThat(Integer.parseInt(charts.get(0)[5])).isEqualTo(6);

    Path shot = outDir.resolve("report.png");
    chromium.screenshot(report, shot, 1200, 2800);
    System.out.println("screenshot: " + shot);
    System.out.println("report: " + report);
    BufferedImage img = ImageIO.read(shot.toFile());
    assertThat(img).as("a PNG at " + shot).isNotNull();
    assertThat(img.getWidth()).isEqualTo(1200);
    Set<Integer> colours = new HashSet<>();
    int runA = 0;
    int runB = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        if (rgb == 0x0072B2) {
          runA++;
        } else if (rgb == 0xE69F00) {
          runB++;
        }
      }
    }
    assertThat(colours.size()).as("distinct colours in " + shot).isGreaterThan(50);
    // the bars of both runs are painted (hundreds of sampled pixels each)
    assertThat(runA).as("pixels of run a's colour in " + shot).isGreaterThan(300);
    assertThat(runB).as("pixels of run b's colour in " + shot).isGreaterThan(300);
  }
}
