/**
 * The Jinja subset of lm-eval's task YAML, with Python's value semantics.
 *
 * <h2>Workflow</h2>
 *
 * <ol>
 *   <li>The registry compiles every {@code doc_to_*} string of a multiple-choice task into a {@link
 *       evalh.tasks.template.TaskField} when it reads the file ({@link
 *       evalh.tasks.template.Template#compile}); a construct outside the subset fails there, and
 *       the registry adds the file, the task and the field to the message.
 *   <li>{@code evalh.tasks.prompt.MultipleChoicePrompts} resolves a field per document as lm-eval's
 *       {@code ConfigurableTask}: a constant, a document field named by the string, or the rendered
 *       template; it adds the row's location to any {@link evalh.tasks.template.TemplateException}.
 * </ol>
 *
 * <h2>Traps</h2>
 *
 * <ul>
 *   <li>Jinja prints {@code str(value)}: a list prints as Python's repr ({@code ['a', "it's"]}), a
 *       float as Python's shortest repr ({@code 1e+16}), null as {@code None}. {@link
 *       evalh.tasks.template.PyValues} does this, including repr's choice of quote and its escapes
 *       of non-printable characters; do not use Java's {@code toString}.
 *   <li>{@code strip()} is Python's: Unicode whitespace as {@code str.isspace} (NBSP, U+2003 too),
 *       not Java's {@code String.strip}. String indexing is by code point.
 *   <li>lm-eval turns a rendered {@code doc_to_choice} back into a list with {@code
 *       ast.literal_eval(str(list))}; for a list of strings that is the list itself, which is why
 *       only a single {@code {{ expression }}} giving a list is accepted there.
 *   <li>Whether a string is a field name or a template is decided per document ({@code doc_to_text:
 *       question_stem} is the field when the row has one), as lm-eval checks {@code in features}.
 * </ul>
 */
package evalh.tasks.template;
