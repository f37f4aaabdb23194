package evalh.decontam.text;

import java.util.Locale;
import java.util.function.Supplier;

/** The selectable normalisations, each with a versioned id recorded in index metadata. */
public enum Normalization {
  /** lm-evaluation-harness janitor compatible (the default). */
  JANITOR("janitor/1", JanitorNormalizer::new),
  /** NFKC, case fold, Unicode punctuation and symbols deleted, digits kept. */
  UNICODE("unicode/1", UnicodeNormalizer::new);

  private final String id;
  private final Supplier<TextNormalizer> factory;

  Normalization(String id, Supplier<TextNormalizer> factory) {
    this.id = id;
    this.factory = factory;
  }

  /** Versioned id, e.g. {@code janitor/1}. */
  public String id() {
    return id;
  }

  /** A new normaliser (instances are not thread-safe; use one per thread). */
  public TextNormalizer newNormalizer() {
    return factory.get();
  }

  /** Parses an id ({@code janitor/1}) or a name ({@code janitor}, {@code unicode}). */
  public static Normalization parse(String s) {
    for (Normalization v : values()) {
      if (v.id.equals(s) || v.name().equals(s.toUpperCase(Locale.ROOT))) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown normalization '" + s + "' (expected janitor or unicode)");
  }
}
