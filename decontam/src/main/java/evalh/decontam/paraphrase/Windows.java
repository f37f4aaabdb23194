package evalh.decontam.paraphrase;

import evalh.decontam.corpus.CorpusDoc;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.CorpusReader;
import evalh.decontam.corpus.FileStats;
import evalh.decontam.index.CorpusReaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Cuts a document's text into overlapping windows of whitespace-separated words, and reads a corpus
 * file's windows with their analyzed terms: the one definition of a window that the window index
 * and a distributed scan both use, so they see the same windows with the same terms.
 */
public final class Windows {
  private Windows() {}

  /**
   * One window.
   *
   * @param wordOffset index of its first word in the document
   * @param start its first character in the document text
   * @param end one past its last character
   */
  public record Window(int wordOffset, int start, int end) {}

  /**
   * The windows of a text and its number of words.
   *
   * @param windows in document order
   * @param words whitespace-separated words of the text
   */
  public record Cut(List<Window> windows, int words) {}

  /**
   * The windows of {@code text}: starts at words 0, step, 2·step, ... until a window reaches the
   * last word; a document of at most {@code window} words is one window; no window is empty.
   */
  public static Cut cut(String text, int window, int step) {
    List<int[]> words = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int s = i;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      words.add(new int[] {s, i});
    }
    List<Window> out = new ArrayList<>();
    for (int w = 0; w < words.size(); w += step) {
      int last = Math.min(w + window, words.size()) - 1;
      out.add(new Window(w, words.get(w)[0], words.get(last)[1]));
      if (last == words.size() - 1) {
        break;
      }
    }
    return new Cut(out, words.size());
  }

  /** Receives the windows of a corpus file in file order. */
  @FunctionalInterface
  public interface WindowConsumer {
    /**
     * One window.
     *
     * @param doc the document it belongs to
     * @param window its place in the document
     * @param text its text ({@code doc.text()} from {@code window.start()} to {@code window.end()})
     * @param terms its distinct analyzed terms, sorted (see {@link #terms})
     */
    void accept(CorpusDoc doc, Window window, String text, String[] terms) throws IOException;
  }

  /**
   * Reads {@code file} with the n-gram index's reader for its format and hands every window of
   * every document to {@code sink}; counts documents and problems in {@code stats} and the words in
   * {@code stats.tokens}.
   *
   * @return the windows read
   */
  public static long read(
      CorpusFile file,
      WindowOptions options,
      ParaphraseAnalyzer analyzer,
      WindowConsumer sink,
      FileStats stats)
      throws IOException {
    CorpusReader reader =
        CorpusReaders.forName(file.name(), options.textFields(), options.idField());
    long[] counts = new long[2];
    reader.read(
        file,
        (CorpusDoc doc) -> {
          String text = doc.text();
          Cut cut = cut(text, options.window(), options.step());
          for (Window w : cut.windows()) {
            String t = text.substring(w.start(), w.end());
            sink.accept(doc, w, t, terms(analyzer, t));
          }
          counts[0] += cut.windows().size();
          counts[1] += cut.words();
          return true;
        },
        stats);
    stats.tokens = counts[1];
    return counts[0];
  }

  /**
   * The distinct terms {@link ParaphraseAnalyzer} makes of a window's text, sorted: what the index
   * stores per window and what every window's score is computed from.
   */
  public static String[] terms(ParaphraseAnalyzer analyzer, String text) {
    TreeSet<String> out = new TreeSet<>();
    try (TokenStream ts = analyzer.tokenStream("w", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toArray(String[]::new);
  }
}
