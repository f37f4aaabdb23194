/**
 * The task registry: which tasks and groups exist, read from YAML.
 *
 * <h2>Workflow</h2>
 *
 * <ol>
 *   <li>{@link evalh.tasks.registry.TaskRegistry#bundled()} reads the files listed in {@code
 *       evalh/tasks/registry/index.txt} (mmlu, paloma, c4, wikitext), in that order; {@link
 *       evalh.tasks.registry.TaskRegistry#withIncludes} adds every {@code *.yaml}/{@code *.yml} of
 *       each {@code --include-path} folder, sorted by name.
 *   <li>Each file is bound to the records of {@code TaskYaml} (the schema, in one place: {@code
 *       suite}, {@code members}, {@code variants}, {@code groups}; a task's keys as in
 *       lm-evaluation-harness' {@code TaskConfig}: {@code output_type}, {@code test_split}, {@code
 *       fewshot_split}, {@code num_fewshot}, {@code description}, {@code target_delimiter}, ...).
 *   <li>Every member is expanded through every variant into one {@link
 *       evalh.tasks.registry.TaskSpec} ({@code {member}}, {@code {member_words}} and {@code
 *       {<attribute>}} substituted in the template), then the groups are added: a group built from
 *       this file's members ({@code where}, {@code members}) or groups once per variant, with the
 *       variant's suffix; a group of named {@code tasks} once.
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
 *   <li>{@link evalh.tasks.registry.PromptFormat} and {@link evalh.tasks.registry.DatasetKind} are
 *       closed enums: a new dataset needs a reader ({@code evalh.tasks.data}) and a branch in every
 *       {@code switch} over the kind, which the compiler lists.
 *   <li>Task names follow evalh's {@code mmlu-anatomy}; {@code lm_eval_name} keeps lm-eval's {@code
 *       mmlu_anatomy} for configs and for the "did you mean" of an unknown name.
 *   <li>A task defined twice (or a group named like a task) is an error, also across files: a user
 *       file cannot silently replace a bundled task.
 * </ul>
 */
package evalh.tasks.registry;
