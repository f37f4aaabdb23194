package evalh.reporting.report;

import static org.assertj.core.api.Assertions.assertThat;

import evalh.reporting.CliRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders a report of a sweep (two runs with long names, four steps over four decades) beside two
 * plain runs with long labels in headless Chromium, and checks as laid out by the browser that the
 * learning curves drew their lines and points and that no two labels of any chart overlap (the heat
 * map's column labels included).
 */
class SweepReportBrowserTest {
  /** Per chart: class, lines, points, and every pair of overlapping texts. */
  private static final String PROBE =
      """
      <script>
      (function () {
        var out = [];
        document.querySelectorAll('svg.chart').forEach(function (svg, n) {
          var texts = Array.prototype.slice.call(svg.querySelectorAll('text'))
              .filter(function (t) { return t.textContent.trim().length > 0; });
          // each label's box as drawn: its local bounding box through its screen transform
          // (rotated labels are rotated rectangles), compared by the separating-axis test
          var quads = texts.map(function (t) {
            var b = t.getBBox(), m = t.getScreenCTM();
            return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
                [b.x, b.y + b.height]].map(function (c) {
              var p = svg.createSVGPoint(); p.x = c[0]; p.y = c[1];
              p = p.matrixTransform(m); return [p.x, p.y]; });
          });
          function separated(a, b) {
            var polys = [a, b];
            for (var k = 0; k < 2; k++) {
              var q = polys[k];
              for (var e = 0; e < 4; e++) {
                var nx = -(q[(e + 1) % 4][1] - q[e][1]), ny = q[(e + 1) % 4][0] - q[e][0];
                var len = Math.sqrt(nx * nx + ny * ny); if (len === 0) continue;
                nx /= len; ny /= len;
                var amin = Infinity, amax = -Infinity, bmin = Infinity, bmax = -Infinity;
                a.forEach(function (p) { var d = p[0] * nx + p[1] * ny; amin = Math.min(amin, d); amax = Math.max(amax, d); });
                b.forEach(function (p) { var d = p[0] * nx + p[1] * ny; bmin = Math.min(bmin, d); bmax = Math.max(bmax, d); });
                if (amax - bmin <= 0.5 || bmax - amin <= 0.5) return true;
              }
            }
            return false;
          }
          var overlaps = [];
          for (var i = 0; i < quads.length; i++) {
            for (var j = i + 1; j < quads.length; j++) {
              if (!separated(quads[i], quads[j])) {
                overlaps.push(texts[i].firstChild.textContent + ' / ' + texts[j].firstChild.textContent);
              }
            }
          }
          var drawn = 0;
          svg.querySelectorAll('polyline.line, circle.point').forEach(function (m) {
            var r = m.getBoundingClientRect(); if (r.width > 0 && r.height > 0) drawn++; });
          var r = svg.getBoundingClientRect();
          out.push([svg.getAttribute('class'), texts.length,
              svg.querySelectorAll('polyline.line').length,
              svg.querySelectorAll('circle.point').length, drawn,
              r.right <= document.documentElement.scrollWidth + 1 ? 'in' : 'out',
              overlaps.join(' && ')].join(';'));
        });
        var pre = document.createElement('pre');
        pre.id = 'probe';
        pre.textContent = out.join('|');
        document.body.appendChild(pre);
      })();
      </script>
      """;

  @TempDir Path tmp;

  @Test
  void curvesDrawAndNoLabelsOverlap() throws Exception {
    Chromium chromium = Chromium.locate(tmp);
    Path sweep = SweepFixtures.write(tmp.resolve("sweep"), 4);
    ReportFixtures.Paths p = ReportFixtures.write(tmp);
    Path outDir = Path.of("target", "browser-report").toAbsolutePath();
    Path report = outDir.resolve("sweep-report.html");
    CliRun r =
        CliRun.of(
            new ReportCommand(),
            sweep.toString(),
            p.a().toString(),
            p.b().toString(),
            "--label",
            p.a() + "=baseline-olmo-7b-anneal-dolmino-mix-v2",
            "--label",
            p.b() + "=candidate-olmo-7b-anneal-dolmino-mix-v3",
            "--out",
            report.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    Path probe = tmp.resolve("probe.html");
    Files.writeString(probe, Files.readString(report).replace("</body>", PROBE + "</body>"));
    String dom = chromium.dumpDom(probe);
    Matcher m = Pattern.compile("<pre id=\"probe\">([^<]*)</pre>").matcher(dom);
    assertThat(m.find()).as(dom).isTrue();
    List<String[]> charts = new ArrayList<>();
    for (String line : m.group(1).split("\\|")) {
      charts.add(line.split(";", -1));
    }
    assertThat(charts)
        .extracting(c -> c[0])
        .containsExactly(
            "chart curve", "chart curve", "chart bar-chart", "chart heat-map", "chart bar-chart");
    for (String[] c : charts) {
      assertThat(Integer.parseInt(c[1])).as("labels of " + c[0]).isGreaterThan(3);
      assertThat(c[6]).as("overlapping labels in " + c[0]).isEmpty();
    }
    for (String[] c : charts.subList(0, 2)) {
      assertThat(Integer.parseInt(c[2])).as("lines").isEqualTo(2);
      assertThat(Integer.parseInt(c[3])).as("points").isEqualTo(8);
      assertThat(Integer.parseInt(c[4])).as("drawn lines and points").isEqualTo(10);
    }

    Path shot = outDir.resolve("sweep-report.png");
    chromium.screenshot(report, shot, 1200, 1400);
    System.out.println("screenshot: " + shot);
    BufferedImage img = ImageIO.read(shot.toFile());
    int runA = 0;
    int runB = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        runA += rgb == 0x0072B2 ? 1 : 0;
        runB += rgb == 0xE69F00 ? 1 : 0;
      }
    }
    assertThat(runA).as("pixels of the first run's colour in " + shot).isGreaterThan(300);
    assertThat(runB).as("pixels of the second run's colour in " + shot).isGreaterThan(300);
  }
}
