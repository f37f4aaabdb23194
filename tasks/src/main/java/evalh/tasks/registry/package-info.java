/**
 * The task registry: which tasks and groups exist, read from YAML.
 *
 * <h2>Workflow</h2>
 *
 * <ol>
 *   <li>{@link evalh.tasks.registry.TaskRegistry#bundled()} reads the files listed in {@code
 *       evalh/tasks/registry/index.txt} (mmlu, arc, sciq, openbookqa, paloma, c4, wikitext), in
 *       that order; {@link evalh.tasks.registry.TaskRegistry#withIncludes} adds every {@code
 *       *.yaml}/{@code *.yml} of each {@code --include-path} folder, sorted by name.
 *   <li>Each file is bound to the records of {@code TaskYaml} (the schema, in one place: {@code
 *       suite}, {@code members}, {@code variants}, {@code tasks}, {@code groups}; a task's keys as
 *       in lm-evaluation-harness' {@code TaskConfig}: {@code output_type}, {@code dataset_path},
 *       {@code test_split}, {@code doc_to_text}, {@code doc_to_choice}, {@code doc_to_target},
 *       {@code metric_list}, ...). The {@code doc_to_*} templates are compiled here ({@link
 *       evalh.tasks.registry.ChoiceTemplates}), so a template outside the supported subset fails
 *       when the file is read.
 *   <li>Plain {@code tasks} are added as written. Every member is expanded through every variant
 *       into one {@link evalh.tasks.registry.TaskSpec} ({@code {member}}, {@code {member_words}}
 *       and {@code {<attribute>}} substituted in the template), then the groups are added: a group
 *       built from this file's members ({@code where}, {@code members}) or groups once per variant,
 *       with the variant's suffix; a group of named {@code tasks} once.
 *   <li>{@link evalh.tasks.registry.TaskRegistry#resolve} turns {@code --task a,b,group} into the
 *       leaf tasks (each once, in the order first reached) and the groups whose metrics are
 *       aggregated ({@link evalh.tasks.registry.Selection}).
 * </ol>
 *
 * <h2>Traps</h2>
 *
 * <ul>
 *   <li>Names become file names ({@code samples_<task>.jsonl}, the default output directory): a
 *       suite, task or group name is letters, digits, {@code ._-} only, checked when the file is
 *       read, so a bad name fails before anything is scored, naming the file and the entry.
 *   <li>Order is meaning. Group children keep file order (results.json lists them so, and lm-eval's
 *       macro averages iterate them); members keep file order; a group may only use groups defined
 *       above it, in the same or an earlier file.
 *   <li>An unknown key is an error, not ignored: a misspelt {@code taks:} would otherwise define an
 *       empty group.
 *   <li>A multiple-choice benchmark needs no Java: {@code dataset_path} tasks are read by file
 *       format ({@code evalh.tasks.data.HfData}). {@link evalh.tasks.registry.DatasetKind} is a
 *       closed enum only for datasets whose layouts need their own reader (MMLU's three layouts,
 *       the perplexity corpora): a new one needs a reader and a branch in every {@code switch} over
 *       the kind, which the compiler lists.
 *   <li>Member substitution ({@code {member}}, {@code {<attribute>}}) runs over every string of a
 *       variant, templates included: an attribute named like a document field would replace {@code
 *       {field}} inside {@code {{field}}}.
 *   <li>Task names follow evalh's {@code mmlu-anatomy}; {@code lm_eval_name} keeps lm-eval's {@code
 *       mmlu_anatomy} for configs and for the "did you mean" of an unknown name.
 *   <li>A task defined twice (or a group named like a task) is an error, also across files: a user
 *       file cannot silently replace a bundled task.
 * </ul>
 */
package evalh.tasks.registry;
