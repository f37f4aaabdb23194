package evalh.tasks.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Jinja subset against lm-eval's own renderer: {@code mc-oracle.json}'s {@code templates} are
 * {@code lm_eval.utils.apply_template(template, doc)} as lm-eval 0.4.13 (jinja2 3.1.6) computed
 * them (see oracle/mc_oracle.py), covering Python's str() of lists, dicts, floats, None and
 * booleans, repr's quote choice and escapes, strip/lstrip/rstrip on Unicode whitespace, indexing by
 * code point and list.index.
 */
class TemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode oracle() throws Exception {
    try (InputStream in = TemplateTest.class.getResourceAsStream("/oracle/mc-oracle.json")) {
      return JSON.readTree(in);
    }
  }

  /** The reader's value types: JSON integers as Long, lists, maps in order. */
  static Object value(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), value(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(c -> l.add(value(c)));
      return l;
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    return n.isNull() ? null : n.asText();
  }

  @SuppressWarnings("unchecked")
  @Test
  void rendersAsLmEvalsJinja() throws Exception {
    JsonNode cases = oracle().get("templates");
    assertThat(cases.size()).isGreaterThanOrEqualTo(10);
    for (JsonNode c : cases) {
      Map<String, Object> doc = (Map<String, Object>) value(c.get("doc"));
      assertThat(Template.compile(c.get("template").asText()).render(doc))
          .as(c.get("template").asText())
          .isEqualTo(c.get("rendered").asText());
    }
  }

  @Test
  void singleExpressionGivesTheValue() {
    Template t = Template.compile("{{ [a, b] }}");
    assertThat(t.isSingleExpression()).isTrue();
    assertThat(t.value(Map.of("a", "x", "b", "y"))).isEqualTo(List.of("x", "y"));
    assertThat(Template.compile(" {{a}}").isSingleExpression()).isFalse();
    assertThat(Template.compile("plain").isSingleExpression()).isFalse();
    assertThat(Template.compile("{{ '{{not}}' }}").render(Map.of())).isEqualTo("{{not}}");
  }

  @Test
  void refusesWhatIsOutsideTheSubset() {
    for (String[] c :
        new String[][] {
          {"{{ q | upper }}", "unsupported '| upper'"},
          {"{% if q %}x{% endif %}", "statements and comments are not supported"},
          {"{# note #}", "statements and comments are not supported"},
          {"{{- q }}", "whitespace control"},
          {"{{ q.upper() }}", "method '.upper()' is not supported"},
          {"{{ q + 'x' }}", "unsupported '+ 'x''"},
          {"{{ q", "is not closed"},
          {"{{ q * 2 }}", "unsupported '* 2'"},
          {"{{ (q) }}", "parentheses are not supported"},
          {"{{ q.index() }}", ".index() takes exactly one argument"},
          {"{{ 'a\\x41' }}", "string escape"},
        }) {
      assertThatThrownBy(() -> Template.compile(c[0]))
          .as(c[0])
          .isInstanceOf(TemplateException.class)
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void failsOnDocumentsLikeStrictUndefined() {
    Map<String, Object> doc =
        Map.of("choices", Map.of("label", List.of("A", "B")), "answerKey", "E", "s", "ab");
    assertThatThrownBy(() -> Template.compile("{{ missing }}").render(doc))
        .hasMessageContaining("'missing' is undefined");
    assertThatThrownBy(() -> Template.compile("{{choices.label.index(answerKey)}}").render(doc))
        .hasMessageContaining("'E' is not in list ['A', 'B']");
    assertThatThrownBy(() -> Template.compile("{{ choices.text }}").render(doc))
        .hasMessageContaining("has no attribute 'text'");
    assertThatThrownBy(() -> Template.compile("{{ s[2] }}").render(doc))
        .hasMessageContaining("has no item 2");
    assertThatThrownBy(() -> Template.compile("{{ choices.strip() }}").render(doc))
        .hasMessageContaining(".strip() needs a string");
  }

  @Test
  void stripTakesCharacters() {
    assertThat(
            Template.compile("{{ s.strip('xy') }}|{{ s.lstrip('x') }}")
                .render(Map.of("s", "xyaxy")))
        .isEqualTo("a|yaxy");
  }

  @Test
  void reprEscapesAsPython() {
    // hand-checked against CPython: repr("a'b") == "\"a'b\"", repr("\x7f\u00ad\U0001f600") keeps
    // the
    // emoji (printable) and escapes DEL and the soft hyphen (category Cf)
    assertThat(PyValues.repr("a'b")).isEqualTo("\"a'b\"");
    assertThat(PyValues.repr("\u007f\u00ad\ud83d\ude00")).isEqualTo("'\\x7f\\xad\ud83d\ude00'");
    assertThat(PyValues.repr("\u2028")).isEqualTo("'\\u2028'");
  }
}
