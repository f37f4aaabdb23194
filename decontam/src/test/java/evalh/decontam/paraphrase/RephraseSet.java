package evalh.decontam.paraphrase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import evalh.decontam.bench.SyntheticText;
import evalh.decontam.check.CheckItem;
import evalh.decontam.corpus.CorpusFile;
import evalh.decontam.corpus.CorpusFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * The labelled rephrase set ({@code rephrase-set.jsonl}, written for this project): 128 MMLU-style
 * items in four subjects (abstract algebra with math notation, biology, US history, sociology),
 * each {@code rephrase} (a QA-style rewrite of it is planted), {@code absent} (nothing of it is
 * planted; its subject's text is) or {@code hard_negative} (a rewrite of a near-twin item that
 * differs in the key detail is planted), split into a tuning and a test half; plus same-topic
 * distractor passages (rewrites of items that are not checked). {@link #writeCorpus} plants every
 * text inside synthetic prose among synthetic background documents.
 */
final class RephraseSet {
  /** One labelled item. */
  record Labelled(
      String subject,
      String id,
      String half,
      String kind,
      String question,
      List<String> choices,
      int gold,
      String planted) {
    boolean positive() {
      return kind.equals("rephrase");
    }
  }

  final List<Labelled> items = new ArrayList<>();
  final List<String> distractors = new ArrayList<>();

  static RephraseSet load() throws IOException {
    RephraseSet s = new RephraseSet();
    ObjectMapper json = new ObjectMapper();
    try (InputStream in =
        RephraseSet.class.getResourceAsStream("/evalh/decontam/paraphrase/rephrase-set.jsonl")) {
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : all.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = json.readTree(line);
        if (n.path("kind").asText().equals("distractor")) {
          s.distractors.add(n.path("planted").asText());
          continue;
        }
        List<String> choices = new ArrayList<>();
        n.path("choices").forEach(c -> choices.add(c.asText()));
        s.items.add(
            new Labelled(
                n.path("subject").asText(),
                n.path("id").asText(),
                n.path("half").asText(),
                n.path("kind").asText(),
                n.path("question").asText(),
                choices,
                n.path("gold").asInt(),
                n.path("planted").isNull() ? null : n.path("planted").asText()));
      }
    }
    return s;
  }

  /** The items as the paraphrase pass sees them (task = subject, doc_id = position in it). */
  List<ParaphraseItem> paraphraseItems() {
    List<ParaphraseItem> out = new ArrayList<>();
    Map<String, Integer> next = new LinkedHashMap<>();
    for (Labelled l : items) {
      int id = next.merge(l.subject(), 1, Integer::sum) - 1;
      out.add(new ParaphraseItem(l.subject(), id, l.question(), l.choices().get(l.gold())));
    }
    return out;
  }

  /** The same items for the n-gram pass. */
  List<CheckItem> checkItems() {
    List<CheckItem> out = new ArrayList<>();
    Map<String, Integer> next = new LinkedHashMap<>();
    for (Labelled l : items) {
      int id = next.merge(l.subject(), 1, Integer::sum) - 1;
      out.add(CheckItem.multipleChoice(l.subject(), id, l.question(), l.choices(), l.gold()));
    }
    return out;
  }

  /**
   * Writes the corpus into {@code dir}: a plain and a gzip JSONL file holding 300 synthetic
   * background documents and every planted text (rephrases, hard-negative twins, distractors), each
   * inside 0-80 synthetic words before and after, shuffled.
   */
  Path writeCorpus(Path dir) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom r = new SplittableRandom(2026);
    SyntheticText words = new SyntheticText(20000, "", 7);
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      docs.add(words.prose(r, 100 + r.nextInt(300)));
    }
    List<String> planted = new ArrayList<>(distractors);
    items.stream().filter(l -> l.planted() != null).forEach(l -> planted.add(l.planted()));
    for (String p : planted) {
      docs.add(words.prose(r, r.nextInt(81)) + " " + p + " " + words.prose(r, r.nextInt(81)));
    }
    for (int i = docs.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      String t = docs.get(i);
      docs.set(i, docs.get(j));
      docs.set(j, t);
    }
    ObjectMapper json = new ObjectMapper();
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < docs.size(); i++) {
      String line = json.writeValueAsString(Map.of("id", "doc-" + i, "text", docs.get(i))) + "\n";
      (i % 2 == 0 ? a : b).append(line);
    }
    Files.writeString(dir.resolve("part-a.jsonl"), a, StandardCharsets.UTF_8);
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("part-b.jsonl.gz")))) {
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }
    return dir;
  }

  /**
   * Writes every labelled item as {@code decontam --items} JSONL into {@code file}: task = subject,
   * doc_id numbered per subject in file order, question, choices, gold.
   */
  Path writeItems(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    StringBuilder sb = new StringBuilder();
    Map<String, Integer> next = new LinkedHashMap<>();
    for (Labelled l : items) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("task", l.subject());
      m.put("doc_id", next.merge(l.subject(), 1, Integer::sum) - 1);
      m.put("question", l.question());
      m.put("choices", l.choices());
      m.put("gold", l.gold());
      sb.append(json.writeValueAsString(m)).append('\n');
    }
    Files.writeString(file, sb, StandardCharsets.UTF_8);
    return file;
  }

  /** The corpus files of {@link #writeCorpus}'s folder, as the local engine reads them. */
  static List<CorpusFile> files(Path corpus) throws IOException {
    return CorpusFiles.expand(List.of(corpus.toString())).stream().map(CorpusFile::local).toList();
  }

  /** Builds a window index of {@code files} into {@code dir} on {@code threads} threads. */
  static Path indexWindows(List<CorpusFile> files, Path dir, int threads) throws IOException {
    new WindowIndexer(
            dir,
            WindowOptions.of(List.of("text"), "id", threads),
            new PrintWriter(new StringWriter()))
        .build(files);
    return dir;
  }
}
