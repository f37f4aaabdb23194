package evalh.engine.model;

import evalh.engine.runtime.TensorRuntime.TargetScores;
import java.util.List;

/** What batch scheduling needs of a model: score packed rows, optionally after a cached prefix. */
public interface ScoringModel {
  /** Scores rows that continue {@code prefix} (null: no prefix). */
  TargetScores score(List<PackedRow> rows, Prefix prefix);

  /**
   * Runs a shared prefix once and caches its keys and values. Close the result (after the rows that
   * use it) to free them; prefixes nest like scopes.
   */
  Prefix prefill(int[] tokens);

  /** The keys and values of a token prefix, per layer, computed once and reused by many rows. */
  interface Prefix extends AutoCloseable {
    /** Number of prefix tokens. */
    int length();

    @Override
    void close();
  }
}
