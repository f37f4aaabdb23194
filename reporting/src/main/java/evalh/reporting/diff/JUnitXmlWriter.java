package evalh.reporting.diff;

import evalh.reporting.io.AtomicFiles;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a diff as JUnit XML (the Ant/Surefire {@code testsuites/testsuite/testcase} format read by
 * Jenkins, GitLab, GitHub test reporters): one testcase per task and metric, a {@code failure} for
 * every comparison that fails the gate.
 */
public final class JUnitXmlWriter {
  private JUnitXmlWriter() {}

  /** Writes {@code diff} to {@code file} atomically. */
  public static void write(DiffResult diff, Path file) {
    AtomicFiles.writeString(file, render(diff));
  }

  /** The XML document. */
  public static String render(DiffResult diff) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      int tests = diff.rows().size();
      int failures = diff.failures().size();
      String suite = "evalh diff " + diff.baselineLabel() + " -> " + diff.candidateLabel();
      w.writeStartDocument("UTF-8", "1.0");
      w.writeCharacters("\n");
      w.writeStartElement("testsuites");
      w.writeAttribute("name", "evalh diff");
      w.writeAttribute("tests", Integer.toString(tests));
      w.writeAttribute("failures", Integer.toString(failures));
      w.writeAttribute("errors", "0");
      w.writeAttribute("skipped", "0");
      w.writeAttribute("time", "0");
      w.writeCharacters("\n  ");
      w.writeStartElement("testsuite");
      w.writeAttribute("name", suite);
      w.writeAttribute("tests", Integer.toString(tests));
      w.writeAttribute("failures", Integer.toString(failures));
      w.writeAttribute("errors", "0");
      w.writeAttribute("skipped", "0");
      w.writeAttribute("time", "0");
      w.writeCharacters("\n    ");
      w.writeStartElement("properties");
      property(w, "baseline", diff.baselineLabel());
      property(w, "candidate", diff.candidateLabel());
      GatePolicy g = diff.options().gate();
      property(w, "max-drop", Double.toString(g.maxDrop()));
      property(w, "alpha", Double.toString(g.alpha()));
      property(w, "fail-on-change", Boolean.toString(g.failOnChange()));
      property(w, "bootstrap-resamples", Integer.toString(diff.options().resamples()));
      property(w, "seed", Long.toString(diff.options().seed()));
      w.writeCharacters("\n    ");
      w.writeEndElement();
      for (Comparison c : diff.rows()) {
        w.writeCharacters("\n    ");
        w.writeStartElement("testcase");
        w.writeAttribute("classname", "evalh." + c.task());
        w.writeAttribute("name", c.metric().display());
        w.writeAttribute("time", "0");
        if (c.verdict().fails()) {
          w.writeCharacters("\n      ");
          w.writeStartElement("failure");
          w.writeAttribute("type", c.verdict().name());
          w.writeAttribute("message", message(c, g));
          w.writeCharacters(summary(c));
          w.writeEndElement();
        }
        w.writeCharacters("\n      ");
        w.writeStartElement("system-out");
        w.writeCharacters(summary(c));
        w.writeEndElement();
        w.writeCharacters("\n    ");
        w.writeEndElement();
      }
      w.writeCharacters("\n  ");
      w.writeEndElement();
      w.writeCharacters("\n");
      w.writeEndElement();
      w.writeCharacters("\n");
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write JUnit XML: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void property(XMLStreamWriter w, String name, String value)
      throws XMLStreamException {
    w.writeCharacters("\n      ");
    w.writeEmptyElement("property");
    w.writeAttribute("name", name);
    w.writeAttribute("value", value);
  }

  private static String message(Comparison c, GatePolicy g) {
    String what = c.task() + " " + c.metric().display();
    return switch (c.verdict()) {
      case MISSING -> what + ": " + c.note();
      case CHANGED ->
          what
              + " changed from "
              + DiffFormat.value(c.baseline())
              + " to "
              + DiffFormat.value(c.candidate())
              + " (--fail-on-change)";
      case REGRESSION_UNTESTED ->
          what
              + " worse by "
              + DiffFormat.worsening(c)
              + " (threshold "
              + trim(g.maxDrop())
              + "), no significance test possible (--require-test)";
      default ->
          what
              + " worse by "
              + DiffFormat.worsening(c)
              + " (threshold "
              + trim(g.maxDrop())
              + "), p = "
              + DiffFormat.p(c.pValue())
              + " < "
              + trim(g.alpha())
              + " ("
              + c.method().label()
              + ")";
    };
  }

  private static String summary(Comparison c) {
    StringBuilder sb = new StringBuilder();
    sb.append("baseline ")
        .append(DiffFormat.value(c.baseline()))
        .append(", candidate ")
        .append(DiffFormat.value(c.candidate()))
        .append(", delta ")
        .append(DiffFormat.delta(c))
        .append(", CI ")
        .append(DiffFormat.interval(c))
        .append(", p ")
        .append(DiffFormat.p(c.pValue()))
        .append(", test ")
        .append(c.method().label())
        .append(", verdict ")
        .append(c.verdict().text());
    if (!c.detail().isEmpty()) {
      sb.append("\n").append(c.detail());
    }
    if (!c.note().isEmpty()) {
      sb.append("\n").append(c.note());
    }
    return sb.toString();
  }

  private static String trim(double v) {
    return String.format(Locale.ROOT, "%s", v);
  }
}
