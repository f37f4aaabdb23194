package evalh.tasks.registry;

import evalh.tasks.template.TaskField;

/**
 * What makes a multiple-choice task's requests, in lm-eval's {@code ConfigurableTask} terms.
 *
 * @param description the text before the examples ({@code description}), a field name or a template
 *     as the {@code doc_to_*} strings (lm-eval renders it per document)
 * @param docToText the question part of the prompt ({@code doc_to_text})
 * @param docToChoice the answer strings ({@code doc_to_choice}): a list, a field, or one {@code {{
 *     expression }}} giving a list
 * @param docToTarget the gold answer ({@code doc_to_target}): an index, or a string found in the
 *     choices
 * @param decontaminationQuery what decontamination searches for ({@code
 *     doc_to_decontamination_query}); null: {@code doc_to_text}
 * @param decontaminationChoices the answer texts decontamination checks ({@code
 *     doc_to_decontamination_choices}, an evalh key read like {@code doc_to_choice}); null: {@code
 *     doc_to_choice}. MMLU's choices are the letters A-D, its answer texts are {@code choices}.
 * @param sampler {@code fewshot_config.sampler}: {@code default} (lm-eval's seeded random sample)
 *     or {@code first_n}
 */
public record ChoiceTemplates(
    TaskField description,
    TaskField docToText,
    TaskField docToChoice,
    TaskField docToTarget,
    TaskField decontaminationQuery,
    TaskField decontaminationChoices,
    String sampler) {}
