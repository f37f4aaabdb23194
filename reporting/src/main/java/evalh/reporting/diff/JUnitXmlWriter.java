package evalh.reporting.diff;

import evalh.core.io.AtomicFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
    try {
      AtomicFiles.writeString(file, render(diff));
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
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
      text(w, "\n");
      w.writeStartElement("testsuites");
      attr(w, "name", "evalh diff");
      attr(w, "tests", Integer.toString(tests));
      attr(w, "failures", Integer.toString(failures));
      attr(w, "errors", "0");
      attr(w, "skipped", "0");
      attr(w, "time", "0");
      text(w, "\n  ");
      w.writeStartElement("testsuite");
      attr(w, "name", suite);
      attr(w, "tests", Integer.toString(tests));
      attr(w, "failures", Integer.toString(failures));
      attr(w, "errors", "0");
      attr(w, "skipped", "0");
      attr(w, "time", "0");
      text(w, "\n    ");
      w.writeStartElement("properties");
      property(w, "baseline", diff.baselineLabel());
      property(w, "candidate", diff.candidateLabel());
      GatePolicy g = diff.options().gate();
      property(w, "max-drop", Double.toString(g.maxDrop()));
      property(w, "alpha", Double.toString(g.alpha()));
      property(w, "fail-on-change", Boolean.toString(g.failOnChange()));
      property(w, "bootstrap-resamples", Integer.toString(diff.options().resamples()));
      property(w, "seed", Long.toString(diff.options().seed()));
      text(w, "\n    ");
      w.writeEndElement();
      for (Comparison c : diff.rows()) {
        text(w, "\n    ");
        w.writeStartElement("testcase");
        attr(w, "classname", "evalh." + c.task());
        attr(w, "name", c.metric().display());
        attr(w, "time", "0");
        if (c.verdict().fails()) {
          text(w, "\n      ");
          w.writeStartElement("failure");
          attr(w, "type", c.verdict().name());
          attr(w, "message", message(c, g));
          text(w, summary(c));
          w.writeEndElement();
        }
        text(w, "\n      ");
        w.writeStartElement("system-out");
        text(w, summary(c));
        w.writeEndElement();
        text(w, "\n    ");
        w.writeEndElement();
      }
      text(w, "\n  ");
      w.writeEndElement();
      text(w, "\n");
      w.writeEndElement();
      text(w, "\n");
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write JUnit XML: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void property(XMLStreamWriter w, String name, String value)
      throws XMLStreamException {
    text(w, "\n      ");
    w.writeEmptyElement("property");
    attr(w, "name", name);
    attr(w, "value", value);
  }

  private static void attr(XMLStreamWriter w, String name, String value) throws XMLStreamException {
    w.writeAttribute(name, xmlSafe(value));
  }

  private static void text(XMLStreamWriter w, String value) throws XMLStreamException {
    w.writeCharacters(xmlSafe(value));
  }

  /** Drops the characters XML 1.0 cannot carry (control characters other than tab, CR, LF). */
  static String xmlSafe(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints()
        .filter(
            cp ->
                cp == 0x9
                    || cp == 0xA
                    || cp == 0xD
                    || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD)
                    || cp >= 0x10000)
        .forEach(b::appendCodePoint);
    return b.toString();
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
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
