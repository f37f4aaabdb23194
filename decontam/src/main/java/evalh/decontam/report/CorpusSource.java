package evalh.decontam.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import evalh.decontam.text.NgramScheme;
import java.util.List;

/** What the items were checked against: the {@code index} object of decontam.json. */
public sealed interface CorpusSource {
  /** Documents checked. */
  long documents();

  /** How text was normalized and cut into n-grams. */
  NgramScheme scheme();

  /** The {@code index} object of decontam.json. */
  ObjectNode toJson();

  /**
   * A Lucene index (a local one, or the shards a Spark job built).
   *
   * @param engine what built it: {@code local}, or the distributed engine as it describes itself
   * @param path the index directory
   * @param documents its documents
   * @param files corpus files indexed
   * @param shards Lucene indexes it is made of
   */
  record Index(
      String engine, String path, long documents, int files, int shards, NgramScheme scheme)
      implements CorpusSource {
    @Override
    public ObjectNode toJson() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("engine", engine);
      o.put("path", path);
      o.put("documents", documents);
      o.put("files", files);
      o.put("shards", shards);
      putScheme(o, scheme);
      return o;
    }
  }

  /**
   * A distributed scan of the corpus (no index).
   *
   * @param engine the engine as it describes itself
   * @param corpus the corpus paths or URIs
   * @param seconds wall time of the scan
   */
  record Scan(
      String engine,
      List<String> corpus,
      long documents,
      int files,
      int partitions,
      long tokens,
      long bytes,
      double seconds,
      NgramScheme scheme)
      implements CorpusSource {
    public Scan {
      corpus = List.copyOf(corpus);
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("engine", engine);
      o.put("mode", "scan");
      ArrayNode paths = o.putArray("corpus");
      corpus.forEach(paths::add);
      o.put("documents", documents);
      o.put("files", files);
      o.put("partitions", partitions);
      o.put("tokens", tokens);
      o.put("bytes", bytes);
      o.put("scan_seconds", Math.round(seconds * 10) / 10.0);
      putScheme(o, scheme);
      return o;
    }
  }

  private static void putScheme(ObjectNode o, NgramScheme s) {
    o.put("normalization", s.normalization().id());
    o.put("n", s.n());
    o.put("stride", s.stride());
    o.put("window", s.window());
    o.put("hash", s.hash());
    o.put("guaranteed_run", s.guaranteedRun());
  }
}
