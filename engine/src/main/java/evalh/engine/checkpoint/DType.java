package evalh.engine.checkpoint;

/** Element types a safetensors file may hold; evalh computes with the floating-point ones. */
public enum DType {
  F32(4),
  F16(2),
  BF16(2),
  F64(8),
  I64(8),
  I32(4),
  I16(2),
  I8(1),
  U8(1),
  BOOL(1);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  public int bytes() {
    return bytes;
  }

  /** True for the weight types the engine can compute with. */
  public boolean isSupportedWeight() {
    return this == F32 || this == F16 || this == BF16;
  }

  /** The dtype most of {@code tensors}' bytes are stored in (F32 when there are none). */
  public static DType mostBytes(java.util.Collection<TensorInfo> tensors) {
    java.util.Map<DType, Long> bytes = new java.util.EnumMap<>(DType.class);
    for (TensorInfo t : tensors) {
      bytes.merge(t.dtype(), t.data().byteSize(), Long::sum);
    }
    return bytes.entrySet().stream()
        .max(java.util.Map.Entry.comparingByValue())
        .map(java.util.Map.Entry::getKey)
        .orElse(F32);
  }

  /** Parses a safetensors dtype string ({@code "BF16"}), or null when unknown. */
  public static DType fromSafetensors(String s) {
    for (DType d : values()) {
      if (d.name().equals(s)) {
        return d;
      }
    }
    return null;
  }
}
