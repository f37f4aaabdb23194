package evalh.tasks.prompt;

import java.util.List;

/**
 * The requests of one multiple-choice item: one {@code (context, continuation)} per choice.
 *
 * @param context the full prompt (description, few-shot examples, question)
 * @param choices the choice strings of lm-eval's {@code doc_to_choice} (letters, or answer texts)
 * @param continuations {@code target_delimiter + choice}, in choice order
 * @param gold index of the correct choice
 */
public record ChoicePrompt(
    String context, List<String> choices, List<String> continuations, int gold) {}
