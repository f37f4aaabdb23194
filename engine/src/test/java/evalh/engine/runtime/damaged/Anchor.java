package evalh.engine.runtime.damaged;

/**
 * Where {@code BundledExtractionTest} reads a damaged pack of natives from: this package's {@code
 * natives/} (test resources) holds a {@code libc10.so.zst} that decompresses to other bytes than
 * its {@code natives.list} records.
 */
public final class Anchor {
  private Anchor() {}
}
