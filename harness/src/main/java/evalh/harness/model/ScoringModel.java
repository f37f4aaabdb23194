package evalh.harness.model;

import evalh.harness.runtime.TensorRuntime.TargetScores;
import java.util.List;

/** What batch scheduling needs of a model: score packed rows, optionally after a cached prefix. */
public interface ScoringModel {
  /** Scores rows that continue {@code prefix} (null: no prefix). */
  TargetScores score(List<PackedRow> rows, Transformer.Prefix prefix);

  /** Runs a shared prefix once and caches its keys and values. */
  Transformer.Prefix prefill(int[] tokens);
}
