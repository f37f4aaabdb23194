package evalh.engine.scoring;

import java.util.List;

/**
 * Token ids must index the model's embedding: a tokenizer.json from another checkpoint (or with
 * added tokens the model was never resized for) yields ids at or past the model's vocab_size, which
 * the tensor runtime reports only as "index out of range in self". Checked in Java before any
 * forward pass, naming both sizes.
 */
final class VocabularyCheck {
  private VocabularyCheck() {}

  static void check(List<TokenRequest> requests, int modelVocab, int tokenizerSize, Object dir) {
    for (int r = 0; r < requests.size(); r++) {
      TokenRequest q = requests.get(r);
      check(q.shared(), r, "input", modelVocab, tokenizerSize, dir);
      check(q.continuation(), r, "continuation", modelVocab, tokenizerSize, dir);
    }
  }

  private static void check(
      int[] ids, int request, String part, int modelVocab, int tokenizerSize, Object dir) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= modelVocab) {
        throw new IllegalArgumentException(
            "token id "
                + ids[i]
                + " (request "
                + request
                + ", "
                + part
                + " position "
                + i
                + ") is outside the model's vocabulary of "
                + modelVocab
                + " (config.json vocab_size) while the tokenizer in "
                + dir
                + " has "
                + tokenizerSize
                + " ids: tokenizer.json does not match the checkpoint; use the tokenizer the"
                + " model was trained with");
      }
    }
  }
}
