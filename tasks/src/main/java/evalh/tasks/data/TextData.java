package evalh.tasks.data;

import evalh.tasks.registry.DatasetKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the documents of perplexity tasks. Layouts under the data root:
 *
 * <ul>
 *   <li>{@code paloma}: HF {@code allenai/paloma}: {@code
 *       allenai/paloma/<source>/<split>/*.jsonl.gz} (any of .jsonl, .jsonl.gz, .jsonl.zst), field
 *       {@code text};
 *   <li>{@code c4}: HF {@code allenai/c4}: {@code allenai/c4/<variant>/c4-<split>.*.json.gz}, field
 *       {@code text};
 *   <li>{@code wikitext}: HF {@code EleutherAI/wikitext_document_level}: {@code
 *       EleutherAI/wikitext_document_level/<config>/<split>-*.parquet} (field {@code page}); or HF
 *       {@code Salesforce/wikitext} line-level parquet {@code Salesforce/wikitext/<config>/
 *       <split>-*.parquet} (field {@code text}); or the raw release {@code
 *       wikitext/<wikitext-103-raw |wikitext-2-raw>/wiki.<test|valid|train>.raw}. Line-level
 *       sources are split into one document per article as wikitext_document_level does ({@link
 *       WikitextPages}).
 * </ul>
 *
 * <p>Errors: a missing text field, a malformed line, a truncated/corrupt file, no documents.
 * Counted skips: documents whose text is empty (nothing to score).
 */
public final class TextData {
  private TextData() {}

  public static Loaded<TextDoc> load(
      DataRoot root, Map<String, String> dataset, String split, String field, int limit) {
    DatasetKind kind = DatasetKind.parse(dataset.get("kind"));
    return switch (kind) {
      case PALOMA -> paloma(root, dataset.get("source"), split, field, limit);
      case C4 -> c4(root, dataset.getOrDefault("variant", "en"), split, field, limit);
      case WIKITEXT -> wikitext(root, dataset.get("config"), split, limit);
      case MMLU, HF ->
          throw new IllegalArgumentException(
              "dataset kind '" + kind.yamlName() + "' has multiple-choice items, not documents");
    };
  }

  private static Loaded<TextDoc> paloma(
      DataRoot root, String source, String split, String field, int limit) {
    Path dir = root.path().resolve("allenai/paloma").resolve(source).resolve(split);
    List<Path> files =
        DatasetFiles.list(dir, n -> DatasetFiles.stripCompression(n).endsWith(".jsonl"));
    if (files.isEmpty()) {
      throw new MissingDatasetException(
          "Paloma source '"
              + source
              + "' split '"
              + split
              + "' not found (no *.jsonl[.gz|.zst] in "
              + dir
              + "). Paloma is gated: accept its terms on the Hub, `huggingface-cli login`, then:\n"
              + "  huggingface-cli download allenai/paloma --repo-type dataset --include '"
              + source
              + "/*' --local-dir "
              + dirFor(root)
              + "/allenai/paloma");
    }
    return fromRows(files, field, limit);
  }

  private static Loaded<TextDoc> c4(
      DataRoot root, String variant, String split, String field, int limit) {
    Path dir = root.path().resolve("allenai/c4").resolve(variant);
    String prefix = "c4-" + split + ".";
    List<Path> files =
        DatasetFiles.list(
            dir, n -> n.startsWith(prefix) && DatasetFiles.stripCompression(n).endsWith(".json"));
    if (files.isEmpty()) {
      throw new MissingDatasetException(
          "C4 '"
              + variant
              + "' split '"
              + split
              + "' not found (no "
              + prefix
              + "*.json.gz in "
              + dir
              + "). Download it with:\n  huggingface-cli download allenai/c4 --repo-type dataset"
              + " --include '"
              + variant
              + "/"
              + prefix
              + "*' --local-dir "
              + dirFor(root)
              + "/allenai/c4");
    }
    return fromRows(files, field, limit);
  }

  private static Loaded<TextDoc> wikitext(DataRoot root, String config, String split, int limit) {
    Path docLevel = root.path().resolve("EleutherAI/wikitext_document_level").resolve(config);
    List<Path> files = DatasetFiles.list(docLevel, DatasetFiles.splitFile(split, "parquet"));
    if (files.isEmpty()) {
      files = DatasetFiles.list(docLevel, DatasetFiles.splitFile(split, "jsonl"));
    }
    if (!files.isEmpty()) {
      return fromRows(files, "page", limit);
    }
    Path lineLevel = root.path().resolve("Salesforce/wikitext").resolve(config);
    files = DatasetFiles.list(lineLevel, DatasetFiles.splitFile(split, "parquet"));
    List<String> sources = new ArrayList<>();
    String raw;
    if (!files.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (Path f : files) {
        for (Row r : DatasetFiles.readRows(f, -1)) {
          sb.append(requireText(r, "text"));
        }
        sources.add(f.toString());
      }
      raw = sb.toString();
    } else {
      String rawDir = config.replace("-v1", "");
      String rawSplit = split.equals("validation") ? "valid" : split;
      Path file =
          root.path().resolve("wikitext").resolve(rawDir).resolve("wiki." + rawSplit + ".raw");
      List<Path> rawFiles =
          DatasetFiles.list(
              file.getParent(),
              n -> DatasetFiles.stripCompression(n).equals("wiki." + rawSplit + ".raw"));
      if (rawFiles.isEmpty()) {
        throw new MissingDatasetException(
            "WikiText '"
                + config
                + "' split '"
                + split
                + "' not found (looked for "
                + docLevel
                + "/"
                + split
                + "-*.parquet, "
                + lineLevel
                + "/"
                + split
                + "-*.parquet and "
                + file
                + "). Download lm-eval's document-level copy with:\n  huggingface-cli download"
                + " EleutherAI/wikitext_document_level --repo-type dataset --include '"
                + config
                + "/*' --local-dir "
                + dirFor(root)
                + "/EleutherAI/wikitext_document_level\nor the line-level one with:\n"
                + "  huggingface-cli download Salesforce/wikitext --repo-type dataset --include '"
                + config
                + "/*' --local-dir "
                + dirFor(root)
                + "/Salesforce/wikitext");
      }
      try (var in = CompressedFiles.open(rawFiles.get(0))) {
        raw = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        throw new DataFormatException(rawFiles.get(0) + ": read failed: " + e, e);
      }
      sources.add(rawFiles.get(0).toString());
    }
    List<String> pages = WikitextPages.split(raw);
    List<TextDoc> docs = new ArrayList<>();
    List<Skip> skips = new ArrayList<>();
    for (int i = 0; i < pages.size() && (limit < 0 || docs.size() < limit); i++) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("page", pages.get(i));
      String loc = sources.get(0) + ": page " + i;
      if (pages.get(i).isEmpty()) {
        skips.add(new Skip(loc, "empty document"));
        continue;
      }
      docs.add(new TextDoc(i, pages.get(i), doc, loc));
    }
    if (docs.isEmpty()) {
      throw new DataFormatException(sources + ": no documents");
    }
    return new Loaded<>(List.copyOf(docs), List.copyOf(skips), List.copyOf(sources));
  }

  private static Loaded<TextDoc> fromRows(List<Path> files, String field, int limit) {
    List<TextDoc> docs = new ArrayList<>();
    List<Skip> skips = new ArrayList<>();
    int index = 0;
    for (Path f : files) {
      if (limit >= 0 && docs.size() >= limit) {
        break;
      }
      for (Row r : DatasetFiles.readRows(f, limit < 0 ? -1 : limit - docs.size() + skips.size())) {
        if (limit >= 0 && docs.size() >= limit) {
          break;
        }
        String text = requireText(r, field);
        if (text.isEmpty()) {
          skips.add(new Skip(r.location(), "empty '" + field + "'"));
        } else {
          docs.add(new TextDoc(index, text, r.values(), r.location()));
        }
        index++;
      }
    }
    if (docs.isEmpty()) {
      throw new DataFormatException(files + ": no documents with a non-empty '" + field + "'");
    }
    return new Loaded<>(
        List.copyOf(docs), List.copyOf(skips), files.stream().map(Path::toString).toList());
  }

  private static String requireText(Row r, String field) {
    if (!r.values().containsKey(field)) {
      throw new DataFormatException(
          r.location() + ": missing field '" + field + "' (fields: " + r.values().keySet() + ")");
    }
    Object o = r.values().get(field);
    if (!(o instanceof String s)) {
      throw new DataFormatException(
          r.location() + ": field '" + field + "' is " + (o == null ? "null" : "not a string"));
    }
    return s;
  }

  private static String dirFor(DataRoot root) {
    return root.sample() ? "$EVALH_DATA" : root.path().toString();
  }
}
