package evalh.tasks.prompt;

import evalh.tasks.data.DataFormatException;
import evalh.tasks.data.Doc;
import evalh.tasks.registry.ChoiceTemplates;
import evalh.tasks.registry.TaskSpec;
import evalh.tasks.template.PyValues;
import evalh.tasks.template.TaskField;
import evalh.tasks.template.TemplateException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds multiple-choice requests exactly as lm-eval's {@code ConfigurableTask}: the context is
 * {@code description(doc) + shot_1 + fd + ... + shot_n + fd + doc_to_text(doc)}, each shot {@code
 * doc_to_text(shot) + td + answer(shot)}, and the continuations are {@code td + choice} for each of
 * {@code doc_to_choice(doc)} ({@code fd}: few-shot delimiter, {@code td}: target delimiter).
 *
 * <p>The shots come from the task's few-shot split ({@link TaskSpec#fewshotSource()}), by its
 * {@code fewshot_config.sampler}: {@code first_n} takes the first n in split order (MMLU); {@code
 * default} draws {@code random.Random(1234).sample(pool, n)} afresh for each evaluated document,
 * from one generator per task in document order, as lm-eval's {@code ContextSampler} seeded with
 * its default {@code fewshot_random_seed}. So {@link #build} must be called once per evaluated
 * document, in order. When the few-shot split is the test split, a sampled copy of the document
 * itself is left out (lm-eval samples n + 1 and drops it).
 *
 * <p>Template values follow lm-eval's rules: a {@code doc_to_*} string naming a document field is
 * that field; {@code doc_to_target} renders to an index when it is all digits, else it is an answer
 * string looked up in the choices; a few-shot answer is {@code choices[target]} for an index and
 * the string itself otherwise.
 */
public final class MultipleChoicePrompts {
  /** lm-eval's default {@code fewshot_random_seed}. */
  public static final long FEWSHOT_SEED = 1234;

  private final TaskSpec task;
  private final ChoiceTemplates tpl;
  private final DescriptionStyle style;
  private final List<Doc> pool;
  private final int numFewshot;
  private final PyRandom rnd;

  /**
   * @param fewshotPool the few-shot split in dataset order
   * @param numFewshot how many examples to prepend
   */
  public MultipleChoicePrompts(
      TaskSpec task, DescriptionStyle style, List<? extends Doc> fewshotPool, int numFewshot) {
    if (task.choice() == null) {
      throw new IllegalArgumentException(task.name() + " is not a multiple-choice task");
    }
    if (numFewshot > fewshotPool.size()) {
      throw new IllegalArgumentException(
          task.name()
              + ": --num-fewshot "
              + numFewshot
              + " but the few-shot split '"
              + task.fewshotSource()
              + "' has only "
              + fewshotPool.size()
              + " items");
    }
    this.task = task;
    this.tpl = task.choice();
    this.style = style;
    this.pool = List.copyOf(fewshotPool);
    this.numFewshot = numFewshot;
    this.rnd = new PyRandom(FEWSHOT_SEED);
  }

  /** The requests of the next evaluated document. */
  public ChoicePrompt build(Doc doc) {
    String description = PyValues.str(resolve(doc, tpl.description(), "description"));
    StringBuilder ctx = new StringBuilder(style.apply(description));
    for (Doc s : shots(doc)) {
      List<String> choices = choices(s);
      Object target = target(s);
      String answer;
      if (target instanceof Long i) {
        if (i >= choices.size()) {
          throw error(
              s, "doc_to_target", "index " + i + " but only " + choices.size() + " choices");
        }
        answer = choices.get((int) (long) i);
      } else {
        answer = (String) target;
      }
      ctx.append(docToText(s))
          .append(task.targetDelimiter())
          .append(answer)
          .append(task.fewshotDelimiter());
    }
    ctx.append(docToText(doc));
    List<String> choices = choices(doc);
    List<String> conts = choices.stream().map(c -> task.targetDelimiter() + c).toList();
    Object target = target(doc);
    int gold;
    if (target instanceof Long i) {
      gold = i < choices.size() ? (int) (long) i : -100;
    } else {
      int at = choices.indexOf((String) target);
      gold = at >= 0 ? at : -100;
    }
    return new ChoicePrompt(ctx.toString(), choices, conts, gold, target);
  }

  private List<Doc> shots(Doc doc) {
    if (numFewshot == 0) {
      return List.of();
    }
    boolean sameSplit = task.fewshotSource().equals(task.testSplit());
    if (tpl.sampler().equals("first_n")) {
      List<Doc> p = sameSplit ? withoutDoc(pool, doc) : pool;
      if (numFewshot > p.size()) {
        throw new IllegalArgumentException(
            task.name() + ": --num-fewshot " + numFewshot + " exceeds the " + p.size() + " left");
      }
      return p.subList(0, numFewshot);
    }
    if (!sameSplit) {
      return rnd.sample(pool, numFewshot);
    }
    List<Doc> res = withoutDoc(rnd.sample(pool, numFewshot + 1), doc);
    res = res.subList(0, Math.min(numFewshot, res.size()));
    if (res.size() < numFewshot) {
      res = rnd.sample(withoutDoc(pool, doc), numFewshot);
    }
    return res;
  }

  /** lm-eval compares documents by value ({@code x != doc} on dicts). */
  private static List<Doc> withoutDoc(List<Doc> docs, Doc doc) {
    List<Doc> out = new ArrayList<>();
    for (Doc d : docs) {
      if (!d.fields().equals(doc.fields())) {
        out.add(d);
      }
    }
    return out;
  }

  /** lm-eval's {@code doc_to_text}. */
  public String docToText(Doc doc) {
    Object v = resolve(doc, tpl.docToText(), "doc_to_text");
    if (!(v instanceof String s)) {
      throw error(doc, "doc_to_text", "gives " + PyValues.repr(v) + ", not a string");
    }
    if (isDigits(s) && !tpl.docToText().namesField(doc.fields())) {
      throw error(
          doc,
          "doc_to_text",
          "renders to the index '"
              + s
              + "' (tasks whose inputs are the choices are not supported)");
    }
    return s;
  }

  /**
   * lm-eval's {@code doc_to_decontamination_query}, else {@code doc_to_text}: the text
   * decontamination searches for. (lm-eval passes a rendered query through {@code
   * ast.literal_eval}, which fails on plain text; evalh uses the rendered text.)
   */
  public String decontaminationQuery(Doc doc) {
    TaskField q = tpl.decontaminationQuery();
    if (q == null) {
      return docToText(doc);
    }
    Object v = resolve(doc, q, "doc_to_decontamination_query");
    return PyValues.str(v);
  }

  /** lm-eval's {@code doc_to_choice}. */
  public List<String> choices(Doc doc) {
    return choices(doc, tpl.docToChoice(), "doc_to_choice");
  }

  /**
   * The answer texts decontamination checks: {@code doc_to_decontamination_choices}, else {@link
   * #choices}.
   */
  public List<String> decontaminationChoices(Doc doc) {
    TaskField f = tpl.decontaminationChoices();
    return f == null ? choices(doc) : choices(doc, f, "doc_to_decontamination_choices");
  }

  private List<String> choices(Doc doc, TaskField f, String field) {
    Object v;
    if (f.isConstant() || f.namesField(doc.fields())) {
      v = f.isConstant() ? f.yaml() : doc.fields().get((String) f.yaml());
    } else if (!f.hasExpressions()) {
      throw error(doc, field, "no field '" + f.yaml() + "' in " + doc.fields().keySet());
    } else {
      v = value(doc, f, field);
    }
    if (!(v instanceof List<?> l)) {
      throw error(doc, field, "gives " + PyValues.repr(v) + ", not a list");
    }
    List<String> out = new ArrayList<>(l.size());
    for (Object o : l) {
      if (!(o instanceof String s)) {
        throw error(doc, field, "choice " + PyValues.repr(o) + " is not a string");
      }
      out.add(s);
    }
    if (out.isEmpty()) {
      throw error(doc, field, "gives no choices");
    }
    return out;
  }

  /** lm-eval's {@code doc_to_target}: a Long index or a String answer. */
  public Object target(Doc doc) {
    TaskField f = tpl.docToTarget();
    if (f.isConstant()) {
      return f.yaml();
    }
    if (f.namesField(doc.fields())) {
      Object v = doc.fields().get((String) f.yaml());
      if (v instanceof Long || v instanceof String) {
        return v;
      }
      throw error(doc, "doc_to_target", "field gives " + PyValues.repr(v));
    }
    String s = PyValues.str(resolve(doc, f, "doc_to_target"));
    if (isDigits(s)) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw error(doc, "doc_to_target", "index '" + s + "' is too large");
      }
    }
    if (s.length() >= 2 && s.startsWith("[") && s.endsWith("]")) {
      throw error(doc, "doc_to_target", "renders to a list (several targets are not supported)");
    }
    return s;
  }

  private Object resolve(Doc doc, TaskField f, String field) {
    if (f.namesField(doc.fields())) {
      return doc.fields().get((String) f.yaml());
    }
    try {
      return f.template().render(doc.fields());
    } catch (TemplateException e) {
      throw error(doc, field, e.getMessage());
    }
  }

  private Object value(Doc doc, TaskField f, String field) {
    try {
      return f.template().value(doc.fields());
    } catch (TemplateException e) {
      throw error(doc, field, e.getMessage());
    }
  }

  /** Python's {@code str.isdigit()} on ASCII digits (what {@code ast.literal_eval} accepts). */
  private static boolean isDigits(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private DataFormatException error(Doc doc, String field, String what) {
    return new DataFormatException(
        doc.location()
            + ": task "
            + task.name()
            + " ("
            + task.origin()
            + ") "
            + field
            + ": "
            + what);
  }
}
