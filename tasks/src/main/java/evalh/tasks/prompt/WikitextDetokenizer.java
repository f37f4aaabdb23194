package evalh.tasks.prompt;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * lm-eval's {@code wikitext_detokenizer} (lm_eval/tasks/wikitext/preprocess_wikitext.py, from
 * Megatron-LM), step for step with Python regex semantics ({@code \s} is Python's Unicode
 * whitespace; {@code re.sub} replaces non-overlapping matches left to right).
 */
public final class WikitextDetokenizer {
  private static final String S = PyStr.SPACE_CLASS;
  private static final Pattern CONTRACTION_NUMBER = Pattern.compile("/' [0-9]/");
  private static final Pattern PARENS = Pattern.compile("\\(" + S + "*([^)]*?)" + S + "*\\)");
  private static final Pattern BRACKETS = Pattern.compile("\\[" + S + "*([^\\]]*?)" + S + "*\\]");
  private static final Pattern BRACES = Pattern.compile("\\{" + S + "*([^}]*?)" + S + "*}");
  private static final Pattern DQUOTES = Pattern.compile("\"" + S + "*([^\"]*?)" + S + "*\"");
  private static final Pattern SQUOTES = Pattern.compile("'" + S + "*([^']*?)" + S + "*'");

  private WikitextDetokenizer() {}

  public static String detokenize(String string) {
    // contractions
    string = string.replace("s '", "s'");
    string = CONTRACTION_NUMBER.matcher(string).replaceAll(Matcher.quoteReplacement("/'[0-9]/"));
    // number separators
    string = string.replace(" @-@ ", "-");
    string = string.replace(" @,@ ", ",");
    string = string.replace(" @.@ ", ".");
    // punctuation
    string = string.replace(" : ", ": ");
    string = string.replace(" ; ", "; ");
    string = string.replace(" . ", ". ");
    string = string.replace(" ! ", "! ");
    string = string.replace(" ? ", "? ");
    string = string.replace(" , ", ", ");
    // double brackets
    string = PARENS.matcher(string).replaceAll("($1)");
    string = BRACKETS.matcher(string).replaceAll("[$1]");
    string = BRACES.matcher(string).replaceAll("{$1}");
    string = DQUOTES.matcher(string).replaceAll("\"$1\"");
    string = SQUOTES.matcher(string).replaceAll("'$1'");
    // miscellaneous
    string = string.replace("= = = =", "====");
    string = string.replace("= = =", "===");
    string = string.replace("= =", "==");
    string = string.replace(" \u00b0 ", "\u00b0");
    string = string.replace(" \n", "\n");
    string = string.replace("\n ", "\n");
    string = string.replace(" N ", " 1 ");
    string = string.replace(" 's", "'s");
    return string;
  }
}
