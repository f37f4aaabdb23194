package evalh.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code rope_scaling} of config.json: none, linear, or llama3 (Llama 3.1's frequency-dependent
 * rescaling). Computes the inverse frequencies exactly as transformers' {@code
 * ROPE_INIT_FUNCTIONS}, in double precision.
 */
public record RopeScaling(
    String type, double factor, double lowFreqFactor, double highFreqFactor, int originalMax) {

  public static final RopeScaling NONE = new RopeScaling("default", 1, 0, 0, 0);

  static RopeScaling parse(String where, JsonNode n) {
    if (n == null || n.isNull()) {
      return NONE;
    }
    String type = n.hasNonNull("rope_type") ? n.get("rope_type").asText() : n.path("type").asText();
    return switch (type) {
      case "default", "" -> NONE;
      case "linear" -> new RopeScaling("linear", factor(where, n), 0, 0, 0);
      case "llama3" ->
          new RopeScaling(
              "llama3",
              factor(where, n),
              n.path("low_freq_factor").asDouble(1.0),
              n.path("high_freq_factor").asDouble(4.0),
              n.path("original_max_position_embeddings").asInt(8192));
      default ->
          throw new CheckpointException(
              where + ": rope_scaling type '" + type + "' is not supported (none, linear, llama3)");
    };
  }

  private static double factor(String where, JsonNode n) {
    double f = n.path("factor").asDouble(0);
    if (!(f > 0)) {
      throw new CheckpointException(where + ": rope_scaling.factor must be > 0");
    }
    return f;
  }

  /** Inverse frequencies for a rotary dimension {@code dim} with base {@code theta}. */
  public double[] inverseFrequencies(int dim, double theta) {
    double[] inv = new double[dim / 2];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / dim);
    }
    switch (type) {
      case "linear" -> {
        for (int i = 0; i < inv.length; i++) {
          inv[i] /= factor;
        }
      }
      case "llama3" -> {
        double lowWavelen = originalMax / lowFreqFactor;
        double highWavelen = originalMax / highFreqFactor;
        for (int i = 0; i < inv.length; i++) {
          double wavelen = 2 * Math.PI / inv[i];
          double scaled = wavelen > lowWavelen ? inv[i] / factor : inv[i];
          boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
          if (medium) {
            double smooth =
                (originalMax / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
            scaled = (1 - smooth) * scaled / factor + smooth * scaled;
          }
          inv[i] = scaled;
        }
      }
      default -> {}
    }
    return inv;
  }
}
