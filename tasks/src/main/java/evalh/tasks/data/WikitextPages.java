package evalh.tasks.data;

import evalh.tasks.prompt.PyStr;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw WikiText file into one document per article, as the {@code
 * EleutherAI/wikitext_document_level} loading script does: a line whose text, after turning {@code
 * "= = ="} into {@code "==="} and {@code "= ="} into {@code "=="} and stripping, starts with {@code
 * "= "} and ends with {@code " ="} begins a new page; pages are the lines joined by {@code "\n"};
 * blank pages before a heading are dropped; the last page is always kept.
 */
public final class WikitextPages {
  private WikitextPages() {}

  public static List<String> split(String raw) {
    String text = raw.replace("\r\n", "\n").replace('\r', '\n'); // Python universal newlines
    List<String> pages = new ArrayList<>();
    List<String> ret = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      String rline = PyStr.strip(line.replace("= = =", "===").replace("= =", "=="));
      if (rline.startsWith("= ") && rline.endsWith(" =")) {
        String page = String.join("\n", ret);
        if (!PyStr.strip(page).isEmpty()) {
          pages.add(page);
        }
        ret = new ArrayList<>();
      }
      ret.add(line);
    }
    pages.add(String.join("\n", ret));
    return pages;
  }
}
