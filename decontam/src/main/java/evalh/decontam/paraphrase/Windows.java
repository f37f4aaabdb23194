package evalh.decontam.paraphrase;

import java.util.ArrayList;
import java.util.List;

/** Cuts a document's text into overlapping windows of whitespace-separated words. */
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
}
