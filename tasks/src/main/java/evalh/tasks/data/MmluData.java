package evalh.tasks.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one MMLU subject split. Layouts, tried in this order under the data root:
 *
 * <ol>
 *   <li>HF {@code cais/mmlu}, per subject: {@code cais/mmlu/<subject>/<split>-*.parquet} (or {@code
 *       <split>.jsonl}, {@code .jsonl.gz}, {@code .jsonl.zst});
 *   <li>HF {@code cais/mmlu}, all subjects in one config: {@code cais/mmlu/all/<split>-*.parquet}
 *       (or JSONL), filtered on the {@code subject} column;
 *   <li>the original Hendrycks {@code data.tar}, extracted under {@code hendrycks_test/}, {@code
 *       mmlu/} or the root: {@code data/<dev|val|test>/ <subject>_<dev|val|test>.csv} (header-less
 *       {@code question,A,B,C,D,answer-letter}).
 * </ol>
 *
 * <p>Errors (the whole run stops, naming file and line or row): a missing column, a malformed JSONL
 * line or CSV record, a truncated or corrupt compressed file, a subject split with no items.
 * Counted skips (reported with their location): an answer outside the choices, a blank question, a
 * choice list that is not 4 answers.
 */
public final class MmluData {
  public static final String HF_REPO = "cais/mmlu";

  /** Where the extracted {@code data.tar} of the original release may sit under the root. */
  private static final List<String> HENDRYCKS_ROOTS =
      List.of("hendrycks_test/data", "mmlu/data", "data");

  private static final List<String> CSV_COLUMNS = List.of("question", "A", "B", "C", "D", "answer");

  private MmluData() {}

  public static Loaded<MmluDoc> load(DataRoot root, String subject, String split) {
    Path base = root.path().resolve("cais").resolve("mmlu");
    List<Path> files = findHf(base.resolve(subject), split);
    boolean filter = false;
    if (files.isEmpty()) {
      files = findHf(base.resolve("all"), split);
      filter = !files.isEmpty();
    }
    List<Row> rows = new ArrayList<>();
    if (!files.isEmpty()) {
      for (Path f : files) {
        for (Row r : DatasetFiles.readRows(f, -1)) {
          if (filter) {
            Object s = require(r, "subject");
            if (!subject.equals(s)) {
              continue;
            }
          }
          rows.add(r);
        }
      }
    } else {
      String hs = split.equals("validation") ? "val" : split;
      for (String tarRoot : HENDRYCKS_ROOTS) {
        Path dir = root.path().resolve(tarRoot).resolve(hs);
        files =
            DatasetFiles.list(
                dir, n -> DatasetFiles.stripCompression(n).equals(subject + "_" + hs + ".csv"));
        if (!files.isEmpty()) {
          break;
        }
      }
      for (Path f : files) {
        rows.addAll(CsvRows.read(f, CSV_COLUMNS));
      }
    }
    if (files.isEmpty()) {
      throw new MissingDatasetException(missing(root, subject, split));
    }
    if (rows.isEmpty()) {
      throw new DataFormatException(
          "MMLU subject '"
              + subject
              + "' split '"
              + split
              + "' has no items in "
              + files
              + (filter ? " (no row has subject '" + subject + "')" : ""));
    }
    List<MmluDoc> docs = new ArrayList<>();
    List<Skip> skips = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      MmluDoc d = parse(r, i, subject, skips);
      if (d != null) {
        docs.add(d);
      }
    }
    return new Loaded<>(
        List.copyOf(docs), List.copyOf(skips), files.stream().map(Path::toString).toList());
  }

  private static List<Path> findHf(Path dir, String split) {
    List<Path> parquet = DatasetFiles.list(dir, DatasetFiles.splitFile(split, "parquet"));
    if (!parquet.isEmpty()) {
      return parquet;
    }
    return DatasetFiles.list(dir, DatasetFiles.splitFile(split, "jsonl"));
  }

  private static MmluDoc parse(Row r, int index, String subject, List<Skip> skips) {
    Map<String, Object> v = r.values();
    Object q = require(r, "question");
    List<String> choices = new ArrayList<>();
    if (v.containsKey("choices")) {
      Object c = require(r, "choices");
      if (!(c instanceof List<?> l)) {
        throw new DataFormatException(r.location() + ": field 'choices' is not a list");
      }
      for (Object o : l) {
        if (o == null) {
          skips.add(new Skip(r.location(), "a choice is null"));
          return null;
        }
        choices.add(o.toString());
      }
    } else if (v.containsKey("A")) {
      for (String k : List.of("A", "B", "C", "D")) {
        choices.add(String.valueOf(require(r, k)));
      }
    } else {
      throw new DataFormatException(
          r.location() + ": missing column 'choices' (columns: " + v.keySet() + ")");
    }
    Object a = require(r, "answer");
    String question = q.toString();
    if (question.isBlank()) {
      skips.add(new Skip(r.location(), "blank question"));
      return null;
    }
    if (choices.size() != 4) {
      skips.add(new Skip(r.location(), "has " + choices.size() + " choices, MMLU items have 4"));
      return null;
    }
    Integer answer = answerIndex(a);
    if (answer == null || answer < 0 || answer >= choices.size()) {
      skips.add(
          new Skip(
              r.location(),
              "answer '" + a + "' is not one of 0.." + (choices.size() - 1) + " or A..D"));
      return null;
    }
    String subj = v.get("subject") instanceof String s && !s.isEmpty() ? s : subject;
    return new MmluDoc(index, subj, question, List.copyOf(choices), answer, r.location());
  }

  private static Integer answerIndex(Object a) {
    if (a instanceof Long l) {
      return l > Integer.MAX_VALUE || l < Integer.MIN_VALUE ? null : (int) (long) l;
    }
    if (a instanceof Double d && d == Math.rint(d)) {
      return (int) (double) d;
    }
    if (a instanceof String s) {
      String t = s.strip();
      if (t.length() == 1 && t.charAt(0) >= 'A' && t.charAt(0) <= 'Z') {
        return t.charAt(0) - 'A';
      }
      try {
        return Integer.parseInt(t);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static Object require(Row r, String field) {
    if (!r.values().containsKey(field)) {
      throw new DataFormatException(
          r.location() + ": missing column '" + field + "' (columns: " + r.values().keySet() + ")");
    }
    Object o = r.values().get(field);
    if (o == null) {
      throw new DataFormatException(r.location() + ": field '" + field + "' is null");
    }
    return o;
  }

  static String missing(DataRoot root, String subject, String split) {
    String dir = root.sample() ? "$EVALH_DATA" : root.path().toString();
    return "MMLU subject '"
        + subject
        + "' split '"
        + split
        + "' not found in "
        + root.display()
        + " (looked for cais/mmlu/"
        + subject
        + "/"
        + split
        + "-*.parquet|.jsonl, cais/mmlu/all/"
        + split
        + "-*.parquet|.jsonl and {hendrycks_test/,mmlu/,}data/"
        + (split.equals("validation") ? "val" : split)
        + "/). Download it with:\n  huggingface-cli"
        + " download cais/mmlu --repo-type dataset --local-dir "
        + dir
        + "/cais/mmlu";
  }
}
