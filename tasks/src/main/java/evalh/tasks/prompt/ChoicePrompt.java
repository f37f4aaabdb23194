package evalh.tasks.prompt;

import java.util.List;

/**
 * The requests of one multiple-choice item: one {@code (context, continuation)} per choice.
 *
 * @param context the full prompt (description, few-shot examples, question)
 * @param choices the choice strings of lm-eval's {@code doc_to_choice} (letters, or answer texts)
 * @param continuations {@code target_delimiter + choice}, in choice order
 * @param gold index of the correct choice; -100 when the target is not among the choices (lm-eval
 *     scores such an item as wrong)
 * @param target lm-eval's {@code doc_to_target} value (Long index or String), as samples log it
 */
public record ChoicePrompt(
    String context, List<String> choices, List<String> continuations, int gold, Object target) {}
