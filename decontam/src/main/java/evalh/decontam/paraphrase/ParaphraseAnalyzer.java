package evalh.decontam.paraphrase;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.miscellaneous.StemmerOverrideFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * The one analyzer of the window index, used to index windows and to analyze items and windows at
 * query and scoring time ({@link #ID} is recorded in the index and checked on open). Chain: math
 * notation mapped to words or to MMLU's ASCII forms (a run of superscript digits to one number, a
 * run of subscript digits to {@code _} and the number so that {@code ℤ₁₂} reads {@code Z_12}, ℤ ℚ ℝ
 * ℂ to the bare letter so that {@code 3ℤ} reads {@code 3Z}, × to {@code x}, √, π, ≤ ... to words),
 * Lucene's StandardTokenizer, English possessives removed, lower case, {@link IndexedSymbolFilter}
 * (underscores cut words; an indexed symbol {@code z_12} also kept whole), Lucene's English stop
 * words plus question-template words, number words one to twenty mapped to digits, KStem (a light
 * stemmer).
 */
public final class ParaphraseAnalyzer extends Analyzer {
  /** Changes whenever the chain or its tables change (a window index must be rebuilt). */
  public static final String ID = "english-kstem/2";

  /** Stop words: Lucene's English set plus words every question template uses. */
  static final CharArraySet STOP;

  static {
    CharArraySet s = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, false);
    for (String w :
        List.of(
            "what",
            "which",
            "who",
            "whom",
            "whose",
            "when",
            "where",
            "why",
            "how",
            "following",
            "true",
            "false",
            "correct",
            "incorrect",
            "statement",
            "statements",
            "best",
            "answer",
            "question",
            "does",
            "do",
            "did",
            "has",
            "have",
            "had",
            "can",
            "could",
            "would",
            "should",
            "may",
            "might",
            "must",
            "its",
            "from",
            "about",
            "all",
            "any",
            "also",
            "both",
            "each",
            "more",
            "most",
            "other",
            "some",
            "than",
            "very",
            "only",
            "one's",
            // instruction and framing words of question templates, which a rewrite drops
            "find",
            "compute",
            "calculate",
            "determine",
            "explain",
            "describe",
            "describes",
            "described",
            "refer",
            "refers",
            "referred",
            "called",
            "call",
            "known",
            "example",
            "according",
            "concept",
            "term",
            "major",
            "primary",
            "primarily",
            "main",
            "mainly",
            "significant",
            "significance",
            "given",
            "let",
            "said",
            "type",
            "consequence",
            "result",
            "resulted",
            "resulting",
            "likely",
            "considered",
            "characteristic",
            "expected",
            "expect",
            "suggest",
            "suggests",
            "indicate",
            "indicated",
            "refer",
            "statement",
            "whether",
            "because",
            "between",
            "including",
            "include")) {
      s.add(w);
    }
    STOP = CharArraySet.unmodifiableSet(s);
  }

  private static final String SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";
  private static final String SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

  /** Every string of 1 to {@code max} ASCII digits. */
  private static List<String> digitRuns(int max) {
    List<String> out = new ArrayList<>();
    List<String> last = List.of("");
    for (int len = 1; len <= max; len++) {
      List<String> next = new ArrayList<>();
      for (String p : last) {
        for (char d = '0'; d <= '9'; d++) {
          next.add(p + d);
        }
      }
      out.addAll(next);
      last = next;
    }
    return out;
  }

  /** {@code digits} written with the ten characters of {@code alphabet} (sub- or superscripts). */
  private static String shift(String digits, String alphabet) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < digits.length(); i++) {
      sb.append(alphabet.charAt(digits.charAt(i) - '0'));
    }
    return sb.toString();
  }

  private static final NormalizeCharMap NOTATION;

  static {
    NormalizeCharMap.Builder b = new NormalizeCharMap.Builder();
    String[][] pairs = {
      {"√", " sqrt "},
      {"π", " pi "},
      {"×", " x "},
      {"÷", " divided "},
      {"≤", " leq "},
      {"≥", " geq "},
      {"≠", " neq "},
      {"∞", " infinity "},
      {"∈", " in "},
      {"∑", " sum "},
      {"∫", " integral "},
      {"θ", " theta "},
      {"α", " alpha "},
      {"β", " beta "},
      {"λ", " lambda "},
      {"μ", " mu "},
      {"σ", " sigma "},
      {"Δ", " delta "},
      {"ℤ", "Z"},
      {"ℚ", "Q"},
      {"ℝ", "R"},
      {"ℂ", "C"},
      {"−", " - "},
      {"½", " 1 2 "},
      {"\\sqrt", " sqrt "},
      {"\\pi", " pi "},
      {"\\times", " x "},
      {"\\leq", " leq "},
      {"\\geq", " geq "},
      {"\\frac", " frac "},
      {"\\mathbb", " "},
      {"\\in", " in "},
      {"\\cdot", " times "},
      {"%", " percent "},
      {"$", " dollar "},
      {"^", " "}
    };
    for (String[] p : pairs) {
      b.add(p[0], p[1]);
    }
    // runs of up to 3 sub- or superscript digits, as one number: ℤ₁₂ is Z_12 (an indexed symbol,
    // see IndexedSymbolFilter), x¹² is x 12
    for (String run : digitRuns(3)) {
      b.add(shift(run, SUBSCRIPT), "_" + run);
      b.add(shift(run, SUPERSCRIPT), " " + run + " ");
    }
    NOTATION = b.build();
  }

  private static final StemmerOverrideFilter.StemmerOverrideMap NUMBERS;

  static {
    StemmerOverrideFilter.Builder b = new StemmerOverrideFilter.Builder(false);
    String[] words = {
      "zero",
      "one",
      "two",
      "three",
      "four",
      "five",
      "six",
      "seven",
      "eight",
      "nine",
      "ten",
      "eleven",
      "twelve",
      "thirteen",
      "fourteen",
      "fifteen",
      "sixteen",
      "seventeen",
      "eighteen",
      "nineteen",
      "twenty"
    };
    for (int i = 0; i < words.length; i++) {
      b.add(words[i], Integer.toString(i));
    }
    b.add("squared", "2");
    b.add("cubed", "3");
    b.add("percentage", "percent");
    b.add("root", "sqrt");
    try {
      NUMBERS = b.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Reader initReader(String fieldName, Reader reader) {
    return new MappingCharFilter(NOTATION, reader);
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer source = new StandardTokenizer();
    TokenStream t = new EnglishPossessiveFilter(source);
    t = new LowerCaseFilter(t);
    t = new IndexedSymbolFilter(t);
    t = new StopFilter(t, STOP);
    t = new StemmerOverrideFilter(t, NUMBERS);
    t = new KStemFilter(t);
    return new TokenStreamComponents(source, t);
  }

  /** One analyzed term and the characters {@code [start, end)} of the text it came from. */
  public record Token(String term, int start, int end) {}

  /** Analyzes {@code text} into its terms, in order, with their character offsets. */
  public List<Token> tokens(String text) {
    List<Token> out = new ArrayList<>();
    try (TokenStream ts = tokenStream("w", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute off = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(new Token(term.toString(), off.startOffset(), off.endOffset()));
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The analyzed terms of {@code text}, in order. */
  public List<String> terms(String text) {
    return tokens(text).stream().map(Token::term).toList();
  }
}
