package evalh.decontam.paraphrase;

import evalh.decontam.check.DocHit;
import java.util.List;

/**
 * One item's paraphrase verdict.
 *
 * @param task leaf task
 * @param docId item index in its task
 * @param suspect {@code score > threshold}
 * @param score the best window's score in [0, 1]
 * @param threshold the threshold it was compared with
 * @param windows the best windows, best first
 */
public record ParaphraseMatch(
    String task,
    int docId,
    boolean suspect,
    double score,
    double threshold,
    List<WindowHit> windows) {

  /**
   * A window matching an item.
   *
   * @param window the window and its provenance
   * @param score its score for the item
   * @param lexical its lexical score (equal to score without an encoder)
   * @param cosine the encoder's cosine similarity, or NaN without an encoder
   * @param highlights characters of the window text whose terms match item terms
   */
  public record WindowHit(
      WindowIndex.WindowDoc window,
      double score,
      double lexical,
      double cosine,
      List<DocHit.Range> highlights) {}
}
